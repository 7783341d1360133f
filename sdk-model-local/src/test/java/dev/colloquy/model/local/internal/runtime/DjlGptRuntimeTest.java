package dev.colloquy.model.local.internal.runtime;

import static dev.colloquy.model.local.internal.runtime.JavaGptRuntimeTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.fixture.ReferenceGpt2;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlGptRuntimeTest {

  private static final int[] TOKENS = {31373, 995, 11, 314, 716, 257, 1332, 50256, 0, 50255};

  private static double[][] expected;
  private static DjlGptRuntime runtime;

  @BeforeAll
  static void loadTinyModel(@TempDir Path directory) {
    GptWeights weights = CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory));
    expected = new ReferenceGpt2(weights).logits(TOKENS);
    runtime = new DjlGptRuntime(weights, Device.cpu());
  }

  @AfterAll
  static void close() {
    runtime.close();
  }

  @Test
  void logitsMatchTheReferenceForwardPassForAWholePrompt() {
    try (GptSequence sequence = runtime.newSequence(TOKENS.length)) {
      assertClose(sequence.append(TOKENS), expected[TOKENS.length - 1]);
    }
  }

  @Test
  void cachedDecodingMatchesUncachedDecodingAtEveryPosition() {
    try (GptSequence cached = runtime.newSequence(TOKENS.length)) {
      assertClose(cached.append(new int[] {TOKENS[0], TOKENS[1]}), expected[1]);
      for (int t = 2; t < TOKENS.length; t++) {
        float[] stepLogits = cached.append(new int[] {TOKENS[t]});
        assertClose(stepLogits, expected[t]);
        try (GptSequence uncached = runtime.newSequence(t + 1)) {
          int[] prefix = java.util.Arrays.copyOf(TOKENS, t + 1);
          assertClose(stepLogits, toDouble(uncached.append(prefix)));
        }
      }
      assertThat(cached.length()).isEqualTo(TOKENS.length);
    }
  }

  @Test
  void describesItsEngineAndDevice() {
    assertThat(runtime.description()).isEqualTo("djl-pytorch cpu()");
  }

  private static double[] toDouble(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
