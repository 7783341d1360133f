package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PromptCache} on the tiny GPT-2 Java engine: what it reuses, keeps and evicts. */
class PromptCacheTest {

  private static final int[] SYSTEM = IntStream.rangeClosed(100, 120).toArray(); // 21 tokens

  private static JavaGptRuntime runtime;

  @BeforeAll
  static void load(@TempDir Path directory) {
    runtime =
        new JavaGptRuntime(
            CheckpointReader.read(
                RandomGpt2Checkpoint.tiny().withPositions(512).writeTo(directory)),
            1);
  }

  @AfterAll
  static void close() {
    runtime.close();
  }

  private static int[] concat(int[]... parts) {
    return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
  }

  private static float[] fresh(int[] prompt) {
    try (GptSequence sequence = runtime.newSequence(prompt.length)) {
      return sequence.append(prompt);
    }
  }

  /** Runs a whole prompt through a lease, keeps it, and returns how much was reused. */
  private static int run(PromptCache cache, int[] prompt, int room) {
    try (PromptCache.Lease lease = cache.lease(prompt, prompt.length + room)) {
      int reused = lease.reused();
      float[] logits = lease.append(Arrays.copyOfRange(prompt, reused, prompt.length));
      assertThat(logits).as("logits after reusing " + reused).containsExactly(fresh(prompt));
      lease.keep();
      return reused;
    }
  }

  @Test
  void theNextTurnReusesTheWholePreviousSequence() {
    try (PromptCache cache = new PromptCache(runtime, 1L << 30)) {
      int[] turn1 = concat(SYSTEM, new int[] {1, 2, 3});
      assertThat(run(cache, turn1, 0)).isZero();
      int[] turn2 = concat(turn1, new int[] {4, 5});
      assertThat(run(cache, turn2, 0)).isEqualTo(turn1.length);
      assertThat(cache.size()).as("turn 1's entry is subsumed by turn 2's").isEqualTo(1);
      // The same prompt again: all but the last token, whose logits are needed.
      assertThat(run(cache, turn2, 0)).isEqualTo(turn2.length - 1);
    }
  }

  @Test
  void anEditedHistoryReusesOnlyTheTrueCommonPrefix() {
    try (PromptCache cache = new PromptCache(runtime, 1L << 30)) {
      run(cache, concat(SYSTEM, new int[] {1, 2, 3, 4}), 0);
      assertThat(run(cache, concat(SYSTEM, new int[] {1, 9, 3, 4}), 0))
          .isEqualTo(SYSTEM.length + 1);
      assertThat(run(cache, new int[] {7, 7, 7}, 0)).isZero();
      assertThat(run(cache, Arrays.copyOf(SYSTEM, 5), 0)).isEqualTo(4);
    }
  }

  @Test
  void conversationsUnderOneSystemPromptShareItAndKeepTheirOwnHistories() {
    try (PromptCache cache = new PromptCache(runtime, 1L << 30)) {
      int[] tea = concat(SYSTEM, new int[] {1, 2, 3, 4, 5, 6, 7});
      int[] coffee = concat(SYSTEM, new int[] {8, 9, 10, 11, 12, 13});
      run(cache, tea, 0);
      assertThat(run(cache, coffee, 0)).isEqualTo(SYSTEM.length);
      assertThat(cache.size()).isEqualTo(2);
      assertThat(run(cache, concat(tea, new int[] {20}), 0)).isEqualTo(tea.length);
      assertThat(run(cache, concat(coffee, new int[] {21}), 0)).isEqualTo(coffee.length);
    }
  }

  @Test
  void aSequenceTooSmallForTheNextTurnMovesToABiggerOne() {
    try (PromptCache cache = new PromptCache(runtime, 1L << 30)) {
      int[] turn1 = concat(SYSTEM, new int[] {1});
      run(cache, turn1, 0);
      // Past turn 1's capacity and its headroom.
      int[] turn2 = concat(turn1, IntStream.range(200, 200 + PromptCache.HEADROOM + 10).toArray());
      assertThat(run(cache, turn2, 5)).isEqualTo(turn1.length);
    }
  }

  @Test
  void theLeastRecentlyUsedSequenceIsEvictedToFitTheBudget() {
    long oneSequence;
    try (GptSequence probe = runtime.newSequence(SYSTEM.length + 1 + PromptCache.HEADROOM)) {
      oneSequence = probe.cacheBytes();
    }
    try (PromptCache cache = new PromptCache(runtime, 2 * oneSequence)) {
      int[] a = concat(new int[] {1}, SYSTEM);
      int[] b = concat(new int[] {2}, SYSTEM);
      int[] c = concat(new int[] {3}, SYSTEM);
      run(cache, a, 0);
      run(cache, b, 0);
      run(cache, concat(Arrays.copyOf(a, 5), new int[] {9}), 0); // uses a, so b is the oldest
      assertThat(cache.size()).isEqualTo(2);
      run(cache, c, 0);
      assertThat(cache.bytes()).isLessThanOrEqualTo(2 * oneSequence);
      assertThat(run(cache, concat(b, new int[] {4}), 0)).as("b was evicted").isZero();
    }
  }

  @Test
  void aKeptSequenceHasHeadroomAndWithoutACacheASequenceHasExactlyWhatItNeeds() {
    try (PromptCache cache = new PromptCache(runtime, 1L << 30);
        PromptCache.Lease lease = cache.lease(SYSTEM, 30);
        PromptCache off = new PromptCache(runtime, 0);
        PromptCache.Lease exact = off.lease(SYSTEM, 30)) {
      lease.append(SYSTEM);
      exact.append(SYSTEM);
      assertThat(lease.capacity()).isEqualTo(30 + PromptCache.HEADROOM);
      assertThat(exact.capacity()).isEqualTo(30);
    }
  }

  @Test
  void aBudgetOfZeroKeepsNothingAndAnUnkeptLeaseIsDropped() {
    try (PromptCache off = new PromptCache(runtime, 0)) {
      run(off, SYSTEM, 0);
      assertThat(off.size()).isZero();
      assertThat(run(off, concat(SYSTEM, new int[] {1}), 0)).isZero();
    }
    try (PromptCache cache = new PromptCache(runtime, 1L << 30)) {
      run(cache, SYSTEM, 0);
      try (PromptCache.Lease failed = cache.lease(concat(SYSTEM, new int[] {1, 2}), 40)) {
        assertThat(failed.reused()).isEqualTo(SYSTEM.length);
        failed.append(new int[] {1});
        // no keep(): the generation failed or was cancelled
      }
      assertThat(cache.size()).isZero();
    }
  }

  @Test
  void aLeasedSequenceIsNeverHandedToAnotherLease() {
    try (PromptCache cache = new PromptCache(runtime, 1L << 30)) {
      run(cache, SYSTEM, 0);
      int[] prompt = concat(SYSTEM, new int[] {1});
      try (PromptCache.Lease first = cache.lease(prompt, prompt.length);
          PromptCache.Lease second = cache.lease(prompt, prompt.length)) {
        assertThat(first.reused()).isEqualTo(SYSTEM.length);
        assertThat(second.reused()).isZero();
        float[] firstLogits = first.append(new int[] {1});
        float[] secondLogits = second.append(prompt);
        assertThat(firstLogits).containsExactly(secondLogits);
        first.keep();
        second.keep();
      }
      assertThat(cache.size()).as("equal token lists: one subsumes the other").isEqualTo(1);
    }
  }
}
