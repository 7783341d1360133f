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

  /** A Q8_0 matrix's blocks, its parts' one after another when it is kept in parts. */
  private static WeightTensor.Q8_0 blocks(WeightTensor tensor) {
    WeightTensor whole =
        tensor instanceof WeightTensor.Rows rows ? WeightTensor.stack(rows.parts()) : tensor;
    assertThat(whole).isInstanceOf(WeightTensor.Q8_0.class);
    return (WeightTensor.Q8_0) whole;
  }

  private static void assertSameBlocks(WeightTensor actual, float[] outIn) {
    WeightTensor.Q8_0 expected = WeightTensor.quantizeQ8_0(new WeightTensor.F32(outIn));
    WeightTensor.Q8_0 q = blocks(actual);
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

  @Test
  void matricesKeptInPartsHoldTheWholeMatricesBlocksAndGiveTheSameLogitsBitForBit() {
    Path model = write("F32", 64);
    PackedGptWeights whole =
        CheckpointReader.readPacked(
            model.resolve("model.safetensors"),
            GptConfig.read(model.resolve("config.json")),
            true,
            Integer.MAX_VALUE);
    // Parts of 2 KiB of quants: 32 rows of 64 values, so every matrix and the head are split.
    PackedGptWeights parted =
        CheckpointReader.readPacked(
            model.resolve("model.safetensors"),
            GptConfig.read(model.resolve("config.json")),
            true,
            2048);
    assertParts(parted.lmHead(), whole.lmHead());
    for (int l = 0; l < 2; l++) {
      PackedGptWeights.Layer p = parted.layers().get(l);
      PackedGptWeights.Layer w = whole.layers().get(l);
      assertParts(p.qkv(), w.qkv());
      assertParts(p.attentionOut(), w.attentionOut());
      assertParts(p.mlpIn(), w.mlpIn());
      assertParts(p.mlpOut(), w.mlpOut()); // 256 values a row: 8 rows a part
    }
    float[][] expected;
    try (JavaGptRuntime runtime = new JavaGptRuntime(whole, 1)) {
      expected = PromptLogits.oneAtATime(runtime, PROMPT);
    }
    for (int threads = 1; threads <= 2; threads++) {
      try (JavaGptRuntime runtime = new JavaGptRuntime(parted, threads);
          GptSequence atOnce = runtime.newSequence(PROMPT.length)) {
        assertThat(PromptLogits.oneAtATime(runtime, PROMPT)).isDeepEqualTo(expected);
        assertThat(atOnce.append(PROMPT)).isEqualTo(expected[PROMPT.length - 1]);
      }
    }
  }

  private static void assertParts(WeightTensor parted, WeightTensor whole) {
    assertThat(parted).isInstanceOf(WeightTensor.Rows.class);
    WeightTensor.Rows rows = (WeightTensor.Rows) parted;
    assertThat(rows.parts()).hasSizeGreaterThan(1);
    assertThat(rows.parts()).allSatisfy(p -> assertThat(p.size()).isLessThanOrEqualTo(2048));
    assertThat(whole).isInstanceOf(WeightTensor.Q8_0.class);
    WeightTensor.Q8_0 stacked = blocks(parted);
    WeightTensor.Q8_0 expected = (WeightTensor.Q8_0) whole;
    assertThat(stacked.scales()).isEqualTo(expected.scales());
    assertThat(stacked.quants()).isEqualTo(expected.quants());
  }
}
