package dev.colloquy.model.local.internal.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.colloquy.core.model.TokenLogprob;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogprobRecorderTest {

  private static byte[] bytes(int id) {
    return ("t" + id).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void ranksAlternativesByLogitWithTiesTowardTheLowerIdAndIgnoresPaddingIds() {
    // ids 5 and 6 pad the embedding: the tokenizer decodes 0..4 only.
    float[] logits = {1f, 3f, 2f, 3f, 0.5f, 9f, 9f};
    LogprobRecorder recorder = new LogprobRecorder(3, 5, LogprobRecorderTest::bytes);

    recorder.observe(logits);
    recorder.chosen(2, 0);

    double normalizer =
        Math.log(Math.exp(1) + Math.exp(3) + Math.exp(2) + Math.exp(3) + Math.exp(0.5));
    TokenLogprob entry = recorder.entries().get(0);
    assertThat(entry.token()).isEqualTo("t2");
    assertThat(entry.logprob()).isCloseTo(2 - normalizer, within(1e-12));
    assertThat(entry.topLogprobs())
        .extracting(TokenLogprob.Alternative::token)
        .containsExactly("t1", "t3", "t2");
    assertThat(entry.topLogprobs().get(0).logprob()).isCloseTo(3 - normalizer, within(1e-12));
  }

  @Test
  void observingDoesNotChangeTheLogitsTheSamplerGets() {
    float[] logits = {1f, 3f, 2f};
    LogprobRecorder recorder = new LogprobRecorder(2, 3, LogprobRecorderTest::bytes);

    recorder.observe(logits);

    assertThat(logits).containsExactly(1f, 3f, 2f);
  }

  @Test
  void trimDropsTheTokensThatStartInsideTheStopSequence() {
    LogprobRecorder recorder = new LogprobRecorder(0, 3, LogprobRecorderTest::bytes);
    float[] logits = {1f, 1f, 1f};
    int[] starts = {0, 2, 5, 6};
    for (int start : starts) {
      recorder.observe(logits);
      recorder.chosen(0, start);
    }

    recorder.trim(5);

    assertThat(recorder.entries()).hasSize(2);
    assertThat(recorder.entries().get(0).logprob()).isCloseTo(Math.log(1.0 / 3), within(1e-12));
  }
}
