package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.checkpoint.PackedGptWeights;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A GPT-2 checkpoint read with Q8_0 on load: each matrix whose inputs are whole blocks of 32 is
 * quantized as it is read (Conv1D's [in, out] a few rows at a time) to exactly the blocks the
 * whole-matrix quantizer gives its [out, in] form; the rest stays F32; the model computes on them.
 */
class GptQuantizedWeightsTest {

  private static final int[] PROMPT = {31373, 995, 11, 314, 716, 257, 1332, 50256, 0};

  @TempDir Path directory;

  private Path write(String dtype, int width) {
    return new RandomGpt2Checkpoint(2, 4, width, 64, dtype, false, 11)
        .writeTo(directory.resolve(dtype + width));
  }

  private static PackedGptWeights readPacked(Path model, boolean quantize) {
    return CheckpointReader.readPacked(
        model.resolve("model.safetensors"), GptConfig.read(model.resolve("config.json")), quantize);
  }

  /** A Conv1D weight [in, out] as the projection [out, in], row-major. */
  private static float[] transposed(float[] weight, int in, int out) {
    float[] result = new float[in * out];
    for (int i = 0; i < in; i++) {
      for (int c = 0; c < out; c++) {
        result[c * in + i] = weight[i * out + c];
      }
    }
    return result;
  }

  private static void assertSameBlocks(WeightTensor actual, float[] outIn) {
    assertThat(actual).isInstanceOf(WeightTensor.Q8_0.class);
    WeightTensor.Q8_0 expected = WeightTensor.quantizeQ8_0(new WeightTensor.F32(outIn));
    WeightTensor.Q8_0 q = (WeightTensor.Q8_0) actual;
    assertThat(q.scales()).isEqualTo(expected.scales());
    assertThat(q.quants()).isEqualTo(expected.quants());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"F32", "BF16"})
  void eachMatrixIsQuantizedAsTheWholeMatrixWouldBe(String dtype) {
    Path model = write(dtype, 64);
    PackedGptWeights kept = readPacked(model, true);
    GptWeights widened = CheckpointReader.read(model);
    int width = 64;
    int inner = 4 * width;
    for (int l = 0; l < 2; l++) {
      GptWeights.Layer layer = widened.layers().get(l);
      PackedGptWeights.Layer quantized = kept.layers().get(l);
      assertSameBlocks(
          quantized.attentionOut(), transposed(layer.attentionOutWeight(), width, width));
      assertSameBlocks(quantized.mlpIn(), transposed(layer.mlpInWeight(), width, inner));
      assertSameBlocks(quantized.mlpOut(), transposed(layer.mlpOutWeight(), inner, width));
      assertThat(quantized.qkv().encoding()).isEqualTo("Q8_0");
    }
    // The tied head is wte itself, [vocab, width]: already [out, in].
    assertSameBlocks(kept.lmHead(), widened.tokenEmbedding());
  }

  @Test
  void matricesWhoseInputsAreNotWholeBlocksStayF32() {
    // Width 36: q/k/v, the attention output and the MLP's input and output (144) are not blocks of
    // 32, nor is the head's width.
    PackedGptWeights kept = readPacked(write("F32", 36), true);
    assertThat(kept.layers().get(0).qkv().encoding()).isEqualTo("F32");
    assertThat(kept.layers().get(0).mlpOut().encoding()).isEqualTo("F32");
    assertThat(kept.lmHead().encoding()).isEqualTo("F32");
  }

  @Test
  void computesOnTheQuantizedWeightsCloseToF32AndIndependentOfThreadsAndSplits() {
    Path model = write("F32", 64);
    PackedGptWeights kept = readPacked(model, true);
    float[][] reference;
    float[][] one;
    try (JavaGptRuntime f32 = new JavaGptRuntime(readPacked(model, false), 1);
        JavaGptRuntime quantized = new JavaGptRuntime(kept, 1)) {
      assertThat(quantized.description()).contains("Q8_0 weights");
      // Q8_0 keeps 34 bytes per 32 values (ggml's f16 scale and 32 quants) where F32 keeps 128.
      assertThat((double) quantized.matrixBytes() / f32.matrixBytes())
          .isCloseTo(34.0 / 128, within(0.005));
      reference = PromptLogits.oneAtATime(f32, PROMPT);
      one = PromptLogits.oneAtATime(quantized, PROMPT);
    }
    for (int p = 0; p < PROMPT.length; p++) {
      assertThat(PromptLogits.relativeError(one[p], reference[p]))
          .as("position %d", p)
          .isGreaterThan(0)
          .isLessThan(0.05);
    }
    for (int threads = 1; threads <= 2; threads++) {
      try (JavaGptRuntime runtime = new JavaGptRuntime(kept, threads);
          GptSequence atOnce = runtime.newSequence(PROMPT.length)) {
        assertThat(atOnce.append(PROMPT)).isEqualTo(one[PROMPT.length - 1]);
        assertThat(PromptLogits.oneAtATime(runtime, PROMPT)).isDeepEqualTo(one);
      }
    }
  }
}
