package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.PackedGptWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A GPT-2 checkpoint stored in F16 or BF16 loads onto the Java engine with its matrices kept 16-bit
 * (Conv1D's [in, out] transposed to [out, in]) and gives the logits of the same weights widened to
 * F32; a prompt at once gives the logits of one token at a time, and two threads those of one, bit
 * for bit.
 */
class GptHalfWeightsTest {

  private static final int[] PROMPT = {31373, 995, 11, 314, 716, 257, 1332, 50256, 0};

  @TempDir Path directory;

  /**
   * The tiny shape, or one whose head width (9) cuts the 8-value grains, with the LM head tied or a
   * tensor of its own.
   */
  private Path write(String dtype, int width, boolean untiedHead) {
    RandomGpt2Checkpoint shape = new RandomGpt2Checkpoint(2, 4, width, 64, dtype, false, 7);
    Path model = shape.writeTo(directory.resolve(dtype + width + untiedHead));
    if (untiedHead) {
      float[] head = new float[RandomGpt2Checkpoint.VOCABULARY * width];
      for (int i = 0; i < head.length; i++) {
        head[i] = ((i * 31) % 101 - 50) / 2500f;
      }
      shape
          .weights()
          .add("lm_head.weight", head, RandomGpt2Checkpoint.VOCABULARY, width)
          .write(model.resolve("model.safetensors"));
    }
    return model;
  }

  private static PackedGptWeights readPacked(Path model) {
    return CheckpointReader.readPacked(
        model.resolve("model.safetensors"), GptConfig.read(model.resolve("config.json")));
  }

  @ParameterizedTest(name = "{0}, width {1}, untied head {2}")
  @CsvSource({
    "F16, 32, false",
    "BF16, 32, false",
    "F16, 36, true",
    "BF16, 36, true",
  })
  void computesOnTheSixteenBitWeightsAsOnThemWidened(String dtype, int width, boolean untied) {
    Path model = write(dtype, width, untied);
    PackedGptWeights kept = readPacked(model);
    assertThat(kept.layers().get(1).mlpIn().encoding()).isEqualTo(dtype);
    assertThat(kept.lmHead().encoding()).isEqualTo(dtype);
    assertThat(kept.untiedTokenEmbedding().byteSize())
        .isEqualTo(untied ? 2L * RandomGpt2Checkpoint.VOCABULARY * width : 0);
    try (JavaGptRuntime sixteen = new JavaGptRuntime(kept, 1);
        JavaGptRuntime widened = new JavaGptRuntime(CheckpointReader.read(model), 1)) {
      // Every matrix a decoded token reads takes 2 bytes a value, half of the widened F32.
      assertThat(sixteen.matrixBytes() * 2).isEqualTo(widened.matrixBytes());
      float[][] expected = PromptLogits.oneAtATime(widened, PROMPT);
      float[][] actual = PromptLogits.oneAtATime(sixteen, PROMPT);
      for (int p = 0; p < PROMPT.length; p++) {
        assertThat(PromptLogits.relativeError(actual[p], expected[p]))
            .as("position %d", p)
            .isLessThan(1e-5);
      }
    }
  }

  @ParameterizedTest(name = "{0}, width {1}")
  @CsvSource({"F16, 32", "BF16, 36"})
  void aPromptAtOnceAndTwoThreadsGiveTheLogitsOfOneTokenAtATimeOnOneThreadBitForBit(
      String dtype, int width) {
    PackedGptWeights kept = readPacked(write(dtype, width, false));
    float[][] reference;
    try (JavaGptRuntime one = new JavaGptRuntime(kept, 1)) {
      reference = PromptLogits.oneAtATime(one, PROMPT);
    }
    for (int threads = 1; threads <= 2; threads++) {
      try (JavaGptRuntime runtime = new JavaGptRuntime(kept, threads);
          GptSequence atOnce = runtime.newSequence(PROMPT.length)) {
        assertThat(atOnce.append(PROMPT)).isEqualTo(reference[PROMPT.length - 1]);
        assertThat(PromptLogits.oneAtATime(runtime, PROMPT)).isDeepEqualTo(reference);
      }
    }
  }
}
