package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.fixture.ReferenceGpt2;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.checkpoint.PackedGptWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaGptRuntimeTest {

  private static final int[] TOKENS = {31373, 995, 11, 314, 716, 257, 1332, 50256, 0, 50255};

  private static GptWeights weights;
  private static double[][] expected;

  @BeforeAll
  static void loadTinyModel(@TempDir Path directory) {
    weights = CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory));
    expected = new ReferenceGpt2(weights).logits(TOKENS);
  }

  @Test
  void matchesTheReferenceForwardPassWhenTheWholePromptGoesInAtOnce() {
    for (int threads : new int[] {1, 2, 3}) {
      try (JavaGptRuntime runtime = new JavaGptRuntime(weights, threads);
          GptSequence sequence = runtime.newSequence(TOKENS.length)) {
        assertClose(sequence.append(TOKENS), expected[TOKENS.length - 1]);
      }
    }
  }

  @Test
  void cachedDecodingMatchesTheReferenceAtEveryPosition() {
    try (JavaGptRuntime runtime = new JavaGptRuntime(weights, 2);
        GptSequence sequence = runtime.newSequence(TOKENS.length)) {
      assertClose(sequence.append(new int[] {TOKENS[0], TOKENS[1], TOKENS[2]}), expected[2]);
      for (int t = 3; t < TOKENS.length; t++) {
        assertClose(sequence.append(new int[] {TOKENS[t]}), expected[t]);
      }
      assertThat(sequence.length()).isEqualTo(TOKENS.length);
    }
  }

  @Test
  void weightsPackedAsTheyAreReadGiveTheLogitsOfWeightsPackedInMemory(@TempDir Path directory) {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory);
    PackedGptWeights packed =
        CheckpointReader.readPacked(
            model.resolve("model.safetensors"), GptConfig.read(model.resolve("config.json")));
    try (JavaGptRuntime fromFile = new JavaGptRuntime(packed, 2);
        JavaGptRuntime fromArrays = new JavaGptRuntime(weights, 2);
        GptSequence a = fromFile.newSequence(TOKENS.length);
        GptSequence b = fromArrays.newSequence(TOKENS.length)) {
      float[] logits = a.append(TOKENS);
      assertClose(logits, expected[TOKENS.length - 1]);
      assertThat(logits).isEqualTo(b.append(TOKENS));
    }
  }

  static void assertClose(float[] actual, double[] reference) {
    assertThat(actual).hasSize(reference.length);
    double largest = 0;
    for (int v = 0; v < reference.length; v++) {
      largest = Math.max(largest, Math.abs(actual[v] - reference[v]));
    }
    assertThat(largest).as("largest logit difference").isCloseTo(0, within(1e-4));
  }
}
