package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.model.local.fixture.GgufConversion;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.TensorNames;
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
 * logits of the same file dequantized to F32, on one thread and on two.
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

  private static DecoderWeights dequantized(DecoderWeights weights) {
    Map<String, float[]> floats = new LinkedHashMap<>();
    for (String name : TensorNames.expected(weights.config()).keySet()) {
      floats.put(name, weights.floats(name));
    }
    return DecoderWeights.ofFloats(weights.config(), floats);
  }

  private static float[][] logits(DecoderWeights weights, int threads) {
    try (JavaDecoderRuntime runtime = new JavaDecoderRuntime(weights, threads);
        GptSequence sequence = runtime.newSequence(PROMPT.length)) {
      float[][] all = new float[PROMPT.length][];
      for (int i = 0; i < PROMPT.length; i++) {
        all[i] = sequence.append(new int[] {PROMPT[i]});
      }
      return all;
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
    "qwen3, BF16"
  })
  void computesOnTheKeptEncodingAsOnItsDequantizedFloats(String family, String typeName)
      throws IOException {
    GgmlType type = GgmlType.valueOf(typeName);
    Path file = GgufConversion.write(blockSized(family), directory.resolve(family + ".gguf"), type);
    DecoderWeights kept = GgufCheckpoint.read(file).weights();
    assertThat(kept.encodings()).containsKey(typeName);
    assertThat(kept.tensor(TensorNames.up(1)).encoding()).isEqualTo(typeName);
    // Kept blocks take about the file's bytes: Q8_0's 34-byte blocks become 36 bytes here.
    assertThat(kept.byteSize()).isLessThan((long) (Files.size(file) * 1.1));
    DecoderWeights floats = dequantized(kept);
    assertThat(kept.byteSize()).isLessThan(floats.byteSize() * 6 / 10);
    float[][] expected = logits(floats, 1);
    for (int threads = 1; threads <= 2; threads++) {
      float[][] actual = logits(kept, threads);
      for (int p = 0; p < PROMPT.length; p++) {
        double scale = 0;
        double worst = 0;
        for (int v = 0; v < expected[p].length; v++) {
          scale = Math.max(scale, Math.abs(expected[p][v]));
          worst = Math.max(worst, Math.abs(actual[p][v] - expected[p][v]));
        }
        assertThat(worst / scale).as("position %d on %d threads", p, threads).isLessThan(1e-4);
      }
    }
    assertThat(logits(kept, 2)).isDeepEqualTo(logits(kept, 1));
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
      double scale = 0;
      double worst = 0;
      for (int v = 0; v < expected[p].length; v++) {
        scale = Math.max(scale, Math.abs(expected[p][v]));
        worst = Math.max(worst, Math.abs(actual[p][v] - expected[p][v]));
      }
      // 8-bit weights: each logit within a few percent of the largest, not bit-equal.
      assertThat(worst / scale).as("position %d", p).isLessThan(0.05);
    }
  }
}
