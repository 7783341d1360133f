package dev.colloquy.model.local.internal.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.fixture.GgufConversion;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderFamily;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import dev.colloquy.model.local.internal.decoder.TensorNames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same random checkpoint written as Hugging Face safetensors and converted to GGUF as llama.cpp
 * does: both loads give the same configuration and the same weights.
 */
class GgufCheckpointTest {

  @TempDir Path directory;

  private DecoderWeights huggingFace(RandomDecoderCheckpoint checkpoint) {
    Path model = checkpoint.writeTo(directory.resolve("hf-" + checkpoint.modelType()));
    DecoderConfig config = DecoderConfig.read(model.resolve("config.json"));
    return SafetensorsDecoderReader.read(model, config);
  }

  private GgufCheckpoint gguf(RandomDecoderCheckpoint checkpoint, GgmlType type) {
    Path file = directory.resolve(checkpoint.modelType() + "-" + type + ".gguf");
    return GgufCheckpoint.read(GgufConversion.write(checkpoint, file, type));
  }

  /** llama.cpp converts Mistral as llama: the family is Llama, the rest the same. */
  private static DecoderConfig asConverted(DecoderConfig config) {
    if (config.family() != DecoderFamily.MISTRAL) {
      return config;
    }
    return new DecoderConfig(
        DecoderFamily.LLAMA,
        config.layerCount(),
        config.width(),
        config.headCount(),
        config.keyValueHeadCount(),
        config.headWidth(),
        config.innerWidth(),
        config.vocabularySize(),
        config.contextLength(),
        config.normEpsilon(),
        config.ropeTheta(),
        config.rotaryWidth(),
        config.ropeScaling(),
        config.slidingWindow(),
        config.queryKeyValueBias(),
        config.outputBias(),
        config.queryKeyNorm(),
        config.tiedEmbeddings(),
        config.beginOfTextId(),
        config.endOfTextIds(),
        config.activation());
  }

  private static void assertSameWeights(DecoderWeights expected, DecoderWeights actual) {
    for (String name : TensorNames.expected(expected.config()).keySet()) {
      assertThat(actual.floats(name)).as(name).containsExactly(expected.floats(name));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"llama", "mistral", "qwen2", "qwen3", "phi3"})
  void readsTheSameConfigAndWeightsAsTheHuggingFaceCheckpoint(String modelType) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(modelType);
    DecoderWeights expected = huggingFace(checkpoint);
    GgufCheckpoint converted = gguf(checkpoint, GgmlType.F32);
    assertThat(converted.weights().config()).isEqualTo(asConverted(expected.config()));
    assertSameWeights(expected, converted.weights());
    assertThat(converted.chatTemplate()).hasValue(GgufConversion.CHAT_TEMPLATE);
    GgufTokenizerMetadata tokenizer = converted.tokenizer().orElseThrow();
    assertThat(tokenizer.model()).isEqualTo("gpt2");
    assertThat(tokenizer.pre()).hasValue("qwen2");
    assertThat(tokenizer.tokens()).hasSize(checkpoint.vocabulary()).startsWith("t0", "t1");
    assertThat(tokenizer.tokenTypes()).startsWith(3, 3, 3, 3, 1);
    assertThat(tokenizer.merges()).containsExactly("t 1", "t1 0");
    assertThat(tokenizer.bosId()).hasValue(1);
    assertThat(tokenizer.eosId()).hasValue(2);
    assertThat(tokenizer.paddingId()).isEmpty();
    assertThat(tokenizer.addBosToken()).hasValue(false);
  }

  @Test
  void unpermutesLlamaQueriesAndKeysButNotQwens() {
    for (String modelType : List.of("llama", "qwen3")) {
      RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(modelType);
      Path file =
          GgufConversion.write(checkpoint, directory.resolve(modelType + ".gguf"), GgmlType.F32);
      try (GgufFile raw = GgufFile.open(file)) {
        float[] stored = raw.readFloats(raw.tensor(TensorNames.query(0)).orElseThrow());
        float[] loaded = GgufCheckpoint.read(file).weights().floats(TensorNames.query(0));
        if (modelType.equals("llama")) {
          assertThat(loaded).isNotEqualTo(stored);
        } else {
          assertThat(loaded).containsExactly(stored);
        }
      }
    }
  }

  @Test
  void readsRopeScalingAndSlidingWindowsAsTheHuggingFaceConfigSaysThem() {
    List<RandomDecoderCheckpoint> checkpoints =
        List.of(
            RandomDecoderCheckpoint.tiny("llama")
                .withRopeScaling(
                    "{\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0,"
                        + " \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}"),
            RandomDecoderCheckpoint.tiny("qwen2")
                .withRopeScaling(
                    "{\"type\": \"yarn\", \"factor\": 4.0,"
                        + " \"original_max_position_embeddings\": 32}"),
            RandomDecoderCheckpoint.tiny("qwen3")
                .withRopeScaling("{\"type\": \"linear\", \"factor\": 2.0}"),
            RandomDecoderCheckpoint.tiny("mistral").withSlidingWindow(16),
            RandomDecoderCheckpoint.tiny("phi3").withSlidingWindow(24));
    for (RandomDecoderCheckpoint checkpoint : checkpoints) {
      DecoderWeights expected = huggingFace(checkpoint);
      GgufCheckpoint converted = gguf(checkpoint, GgmlType.F32);
      assertThat(converted.weights().config())
          .as(checkpoint.modelType() + " " + checkpoint.ropeScaling())
          .isEqualTo(asConverted(expected.config()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"})
  void dequantizesQuantizedMatricesCloseToTheOriginals(String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny("llama");
    DecoderWeights expected = huggingFace(checkpoint);
    DecoderWeights converted = gguf(checkpoint, type).weights();
    for (String name : TensorNames.expected(expected.config()).keySet()) {
      float[] want = expected.floats(name);
      float[] got = converted.floats(name);
      float largest = 0f;
      for (float value : want) {
        largest = Math.max(largest, Math.abs(value));
      }
      // Per 32-value block the step is at most max|x| / 127 (Q8_0), / 8 (Q4_0), / 16 (Q5_0),
      // 2 max|x| / 15 (Q4_1) or / 31 (Q5_1); the error is at most one step.
      float bound =
          switch (type) {
            case Q8_0 -> largest / 127;
            case Q4_0 -> largest / 8 * 1.01f;
            case Q5_0 -> largest / 16 * 1.01f;
            case Q4_1 -> 2 * largest / 15 * 1.01f;
            case Q5_1 -> 2 * largest / 31 * 1.01f;
            default -> 0f; // the fixture's weights are exact in F16 and BF16
          };
      for (int i = 0; i < want.length; i++) {
        assertThat(got[i]).as("%s[%d]", name, i).isCloseTo(want[i], within(bound));
      }
    }
  }

  @Test
  void rejectsAnUnsupportedArchitectureListingTheSupportedOnes() {
    Path file = directory.resolve("gemma2.gguf");
    new GgufWriter().putString("general.architecture", "gemma2").write(file);
    assertThatThrownBy(() -> GgufCheckpoint.read(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("'gemma2'")
        .hasMessageContaining("llama")
        .hasMessageContaining("qwen3")
        .hasMessageContaining("phi3");
  }

  @Test
  void namesAMissingKeyAMissingTensorAndAWrongShape() {
    Path file = directory.resolve("broken.gguf");
    new GgufWriter()
        .putString("general.architecture", "qwen3")
        .putUint32("qwen3.embedding_length", 32)
        .write(file);
    assertThatThrownBy(() -> GgufCheckpoint.read(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'qwen3.attention.head_count'");

    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny("qwen3");
    Path converted = GgufConversion.write(checkpoint, directory.resolve("q.gguf"), GgmlType.F32);
    GgufWriter copy = copyExcept(converted, "blk.1.ffn_down.weight");
    Path missing = directory.resolve("missing.gguf");
    copy.write(missing);
    assertThatThrownBy(() -> GgufCheckpoint.read(missing))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("'blk.1.ffn_down.weight'");

    Path reshaped = directory.resolve("reshaped.gguf");
    copyExcept(converted, "blk.1.ffn_down.weight")
        .addTensor("blk.1.ffn_down.weight", GgmlType.F32, new float[48 * 32], 32, 48)
        .write(reshaped);
    assertThatThrownBy(() -> GgufCheckpoint.read(reshaped))
        .hasMessageContaining("'blk.1.ffn_down.weight' of shape [48, 32]")
        .hasMessageContaining("[32, 48]");

    Path extra = directory.resolve("extra.gguf");
    copyExcept(converted, "none")
        .addTensor("blk.0.ffn_up.bias", GgmlType.F32, new float[48], 48)
        .write(extra);
    assertThatThrownBy(() -> GgufCheckpoint.read(extra))
        .hasMessageContaining("does not use: blk.0.ffn_up.bias");
  }

  private static GgufWriter copyExcept(Path file, String left) {
    GgufWriter writer = new GgufWriter();
    try (GgufFile gguf = GgufFile.open(file)) {
      gguf.metadata().asMap().forEach(writer::put);
      for (GgufTensorInfo info : gguf.tensors().values()) {
        if (!info.name().equals(left)) {
          writer.addTensor(info.name(), info.type(), gguf.readFloats(info), info.dimensions());
        }
      }
    }
    return writer;
  }
}
