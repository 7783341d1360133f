package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.model.local.fixture.GgufConversion;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.TensorNames;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import dev.colloquy.model.local.internal.gguf.GgufCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A GGUF checkpoint of 16-bit or quantized matrices loads with its encoding kept (heap about the
 * file's weight bytes, not 4 bytes a parameter), and the engine computing on it in place gives the
 * logits of the same file dequantized to F32, on one thread and on two; a prompt given at once (all
 * its rows in each multiply) gives the logits it gives one token at a time, bit for bit.
 */
class CompressedWeightsRuntimeTest {

  private static final int[] PROMPT = {1, 17, 5, 60, 33, 2, 90, 41, 7};

  @TempDir Path directory;

  /** A small model of the family whose matrix widths are whole blocks of 32. */
  private static RandomDecoderCheckpoint blockSized(String family) {
    RandomDecoderCheckpoint tiny = RandomDecoderCheckpoint.tiny(family);
    return new RandomDecoderCheckpoint(
        family, 2, 64, 4, 2, 16, 96, 128, 64, tiny.tied(), 0, "null", "F32", 1, 11, Map.of());
  }

  /** A small model whose matrix widths are whole super-blocks of 256, for the K types. */
  private static RandomDecoderCheckpoint superBlockSized(String family) {
    RandomDecoderCheckpoint tiny = RandomDecoderCheckpoint.tiny(family);
    return new RandomDecoderCheckpoint(
        family, 2, 256, 4, 2, 64, 512, 256, 64, tiny.tied(), 0, "null", "F32", 1, 11, Map.of());
  }

  private static RandomDecoderCheckpoint sized(String family, GgmlType type) {
    return type.blockSize() == 256 ? superBlockSized(family) : blockSized(family);
  }

  private static DecoderWeights dequantized(DecoderWeights weights) {
    Map<String, float[]> floats = new LinkedHashMap<>();
    for (String name : TensorNames.expected(weights.config()).keySet()) {
      floats.put(name, weights.floats(name));
    }
    return DecoderWeights.ofFloats(weights.config(), floats);
  }

  private static float[][] logits(DecoderWeights weights, int threads) {
    try (JavaDecoderRuntime runtime = new JavaDecoderRuntime(weights, threads)) {
      return PromptLogits.oneAtATime(runtime, PROMPT);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "llama, Q8_0",
    "llama, Q4_0",
    "qwen2, Q8_0",
    "qwen3, Q4_0",
    "phi3, Q8_0",
    "mistral, F16",
    "qwen3, BF16",
    "llama, Q4_K",
    "phi3, Q4_K",
    "qwen2, Q6_K",
    "mistral, Q6_K"
  })
  void computesOnTheKeptEncodingAsOnItsDequantizedFloats(String family, String typeName)
      throws IOException {
    GgmlType type = GgmlType.valueOf(typeName);
    Path file =
        GgufConversion.write(sized(family, type), directory.resolve(family + ".gguf"), type);
    DecoderWeights kept = GgufCheckpoint.read(file).weights();
    assertThat(kept.encodings()).containsKey(typeName);
    assertThat(kept.tensor(TensorNames.up(1)).encoding()).isEqualTo(typeName);
    // Kept blocks take about the file's bytes: Q8_0's and Q4_0's stay as they are (f16 scales
    // kept), Q4_K's 144 become 152.
    assertThat(kept.byteSize()).isLessThan((long) (Files.size(file) * 1.1));
    DecoderWeights floats = dequantized(kept);
    assertThat(kept.byteSize()).isLessThan(floats.byteSize() * 6 / 10);
    float[][] expected = logits(floats, 1);
    for (int threads = 1; threads <= 2; threads++) {
      float[][] actual = logits(kept, threads);
      for (int p = 0; p < PROMPT.length; p++) {
        assertThat(PromptLogits.relativeError(actual[p], expected[p]))
            .as("position %d on %d threads", p, threads)
            .isLessThan(1e-4);
      }
    }
    assertThat(logits(kept, 2)).isDeepEqualTo(logits(kept, 1));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "llama, Q8_0",
    "qwen3, Q4_0",
    "phi3, BF16",
    "mistral, F16",
    "llama, Q4_K",
    "qwen2, Q6_K"
  })
  void aPromptAtOnceGivesTheLogitsOfOneTokenAtATimeBitForBit(String family, String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    Path file =
        GgufConversion.write(sized(family, type), directory.resolve(family + ".gguf"), type);
    DecoderWeights kept = GgufCheckpoint.read(file).weights();
    for (int threads = 1; threads <= 2; threads++) {
      try (JavaDecoderRuntime runtime = new JavaDecoderRuntime(kept, threads);
          GptSequence atOnce = runtime.newSequence(PROMPT.length + 1);
          GptSequence oneByOne = runtime.newSequence(PROMPT.length + 1)) {
        float[] prefilled = atOnce.append(PROMPT);
        float[] stepped = null;
        for (int token : PROMPT) {
          stepped = oneByOne.append(new int[] {token});
        }
        assertThat(prefilled).as("%d threads", threads).containsExactly(stepped);
        // The caches hold the same keys and values too: the next token agrees as well.
        assertThat(atOnce.append(new int[] {9})).containsExactly(oneByOne.append(new int[] {9}));
      }
    }
  }

  /**
   * Matrices kept in parts of a few rows ({@link WeightTensor.Rows}, as a big model's are so that
   * G1 wastes no region per matrix) give the logits of the same file kept whole, bit for bit, on
   * one and two threads and for a prompt at once; Llama's reordered query and key rows and Phi-3's
   * fused tensors go through parts too.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"llama, Q8_0", "qwen3, Q4_0", "phi3, Q8_0", "llama, Q4_K", "qwen2, Q6_K"})
  void matricesKeptInPartsGiveTheLogitsOfWholeMatricesBitForBit(String family, String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    Path file =
        GgufConversion.write(sized(family, type), directory.resolve(family + ".gguf"), type);
    DecoderWeights whole = GgufCheckpoint.read(file).weights();
    // Parts of 24 rows (Q8_0 rows of 64 or 256 bytes, 4-bit of 32 or 128): not a divisor of the
    // rows, so a last part is shorter.
    int columns = sized(family, type).width();
    int partBytes = 24 * (type == GgmlType.Q8_0 ? columns : columns / 2);
    DecoderWeights parted = GgufCheckpoint.read(file, partBytes).weights();
    assertThat(parted.tensor(TensorNames.query(0))).isInstanceOf(WeightTensor.Rows.class);
    assertThat(parted.tensor(TensorNames.up(1))).isInstanceOf(WeightTensor.Rows.class);
    assertThat(parted.tensor(TensorNames.query(0)).toFloats())
        .containsExactly(whole.tensor(TensorNames.query(0)).toFloats());
    assertThat(parted.byteSize()).isEqualTo(whole.byteSize());
    for (int threads = 1; threads <= 2; threads++) {
      assertThat(logits(parted, threads)).as("%d threads", threads).isDeepEqualTo(logits(whole, 1));
      try (JavaDecoderRuntime runtime = new JavaDecoderRuntime(parted, threads);
          JavaDecoderRuntime reference = new JavaDecoderRuntime(whole, threads);
          GptSequence atOnce = runtime.newSequence(PROMPT.length);
          GptSequence expected = reference.newSequence(PROMPT.length)) {
        assertThat(atOnce.append(PROMPT)).containsExactly(expected.append(PROMPT));
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"llama, F32", "qwen2, BF16", "phi3, F16"})
  void quantizingToQ8_0KeepsNormsAndBiasesAndStaysCloseToTheFloats(String family, String typeName) {
    Path file =
        GgufConversion.write(
            blockSized(family), directory.resolve(family + ".gguf"), GgmlType.valueOf(typeName));
    DecoderWeights stored = GgufCheckpoint.read(file).weights();
    DecoderWeights quantized = stored.quantizedToQ8_0();
    assertThat(quantized.tensor(TensorNames.down(0)).encoding()).isEqualTo("Q8_0");
    assertThat(quantized.tensor(TensorNames.attentionNorm(0)))
        .isSameAs(stored.tensor(TensorNames.attentionNorm(0)));
    assertThat(quantized.byteSize()).isLessThan(stored.byteSize());
    float[][] expected = logits(stored, 1);
    float[][] actual = logits(quantized, 2);
    for (int p = 0; p < PROMPT.length; p++) {
      // 8-bit weights: each logit within a few percent of the largest, not bit-equal.
      assertThat(PromptLogits.relativeError(actual[p], expected[p]))
          .as("position %d", p)
          .isLessThan(0.05);
    }
  }
}
