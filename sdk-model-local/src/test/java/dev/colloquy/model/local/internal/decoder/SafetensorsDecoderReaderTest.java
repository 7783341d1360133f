package dev.colloquy.model.local.internal.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.internal.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsDecoderReaderTest {

  @TempDir Path directory;

  private static DecoderWeights read(Path model) {
    return SafetensorsDecoderReader.read(model, DecoderConfig.read(model.resolve("config.json")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"F32", "BF16"})
  void splitsPhi3sFusedProjectionsIntoCanonicalTensors(String dtype) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny("phi3").withDtype(dtype);
    DecoderWeights weights = read(checkpoint.writeTo(directory));
    float[] fused = checkpoint.tensors().get("model.layers.1.self_attn.qkv_proj.weight").values();
    float[] key = weights.floats(TensorNames.key(1));
    // k rows follow the 4 × 8 query rows; each row has 32 columns.
    assertThat(key).hasSize(2 * 8 * 32);
    assertThat(key).containsExactly(Arrays.copyOfRange(fused, 32 * 32, 48 * 32));
    assertThat(weights.tensor(TensorNames.key(1)).encoding()).isEqualTo(dtype);
    float[] gateUp = checkpoint.tensors().get("model.layers.0.mlp.gate_up_proj.weight").values();
    assertThat(weights.floats(TensorNames.up(0))[0]).isEqualTo(gateUp[48 * 32]);
    assertThat(weights.floats(TensorNames.gate(0))[5]).isEqualTo(gateUp[5]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"F16", "BF16"})
  void halfPrecisionTensorsStay16BitWithTheFilesValues(String dtype) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny("llama").withDtype(dtype);
    DecoderWeights weights = read(checkpoint.writeTo(directory));
    assertThat(weights.encodings()).containsOnlyKeys(dtype);
    long elements = checkpoint.tensors().values().stream().mapToLong(t -> t.values().length).sum();
    assertThat(weights.byteSize()).isEqualTo(2 * elements);
    assertThat(weights.tensor(TensorNames.query(1))).isInstanceOf(WeightTensor.Halves.class);
    assertThat(weights.floats(TensorNames.query(1)))
        .containsExactly(values(checkpoint, "model.layers.1.self_attn.q_proj.weight"));
    assertThat(weights.floats(TensorNames.TOKEN_EMBEDDING))
        .containsExactly(values(checkpoint, "model.embed_tokens.weight"));
    assertThat(weights.floats(TensorNames.feedForwardNorm(0)))
        .containsExactly(values(checkpoint, "model.layers.0.post_attention_layernorm.weight"));
  }

  @Test
  void f32MatricesArePackedAsTheyAreReadAndVectorsStayRowMajor() {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny("llama");
    DecoderWeights weights = read(checkpoint.writeTo(directory));
    float[] down = values(checkpoint, "model.layers.1.mlp.down_proj.weight"); // [32, 48]
    WeightTensor packed = weights.tensor(TensorNames.down(1));
    assertThat(packed).isInstanceOf(WeightTensor.PackedF32.class);
    assertThat(packed.encoding()).isEqualTo("F32");
    assertThat(packed.byteSize()).isEqualTo(4L * down.length);
    assertThat(packed.toFloats()).containsExactly(down);
    assertThat(packed.get(5 * 48 + 7)).isEqualTo(down[5 * 48 + 7]);
    float[] range = new float[100];
    packed.copyTo(40, 100, range, 0); // from the middle of row 0 into row 2
    assertThat(range).containsExactly(Arrays.copyOfRange(down, 40, 140));
    assertThat(packed.rows(48, 3, 5).toFloats())
        .containsExactly(Arrays.copyOfRange(down, 3 * 48, 5 * 48));
    int[] reversed = new int[32];
    for (int i = 0; i < 32; i++) {
      reversed[i] = 31 - i;
    }
    WeightTensor reordered = packed.reorderRows(48, reversed);
    assertThat(reordered).isInstanceOf(WeightTensor.PackedF32.class);
    assertThat(Arrays.copyOfRange(reordered.toFloats(), 2 * 48, 3 * 48))
        .containsExactly(Arrays.copyOfRange(down, 29 * 48, 30 * 48));
    assertThat(weights.tensor(TensorNames.attentionNorm(0))).isInstanceOf(WeightTensor.F32.class);
    assertThat(weights.floats(TensorNames.attentionNorm(0)))
        .containsExactly(values(checkpoint, "model.layers.0.input_layernorm.weight"));
  }

  @ParameterizedTest
  @CsvSource({"llama, F32", "phi3, BF16", "qwen2, F16"})
  void quantizingWhileReadingGivesWhatQuantizingAfterReadingGives(String family, String dtype) {
    Path model = RandomDecoderCheckpoint.tiny(family).withDtype(dtype).writeTo(directory);
    DecoderConfig config = DecoderConfig.read(model.resolve("config.json"));
    DecoderWeights after = SafetensorsDecoderReader.read(model, config).quantizedToQ8_0();
    DecoderWeights during = SafetensorsDecoderReader.read(model, config, true);
    assertThat(during.encodings()).isEqualTo(after.encodings()).containsKey("Q8_0");
    for (String name : TensorNames.expected(config).keySet()) {
      WeightTensor expected = after.tensor(name);
      WeightTensor actual = during.tensor(name);
      assertThat(actual.encoding()).as(name).isEqualTo(expected.encoding());
      if (expected instanceof WeightTensor.Q8_0 q8) {
        WeightTensor.Q8_0 quantized = (WeightTensor.Q8_0) actual;
        assertThat(quantized.scales()).as(name).containsExactly(q8.scales());
        assertThat(quantized.quants()).as(name).containsExactly(q8.quants());
      } else {
        assertThat(actual.toFloats()).as(name).containsExactly(expected.toFloats());
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "F32, model.layers.1.mlp.up_proj.weight, 1000, 7fc00000, NaN",
    "BF16, model.layers.0.self_attn.o_proj.weight, 17, ff80, -Infinity",
    "F16, model.norm.weight, 3, 7c00, Infinity"
  })
  void aWeightThatIsNotFiniteIsRefusedNamingTheTensorAndIndex(
      String dtype, String tensor, int index, String bits, String shown) throws IOException {
    Path model = RandomDecoderCheckpoint.tiny("llama").withDtype(dtype).writeTo(directory);
    Path file = model.resolve("model.safetensors");
    long at;
    int size = dtype.equals("F32") ? 4 : 2;
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      ByteBuffer length = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8);
      at =
          8
              + length.order(ByteOrder.LITTLE_ENDIAN).getLong()
              + safetensors.tensor(tensor).orElseThrow().begin()
              + (long) size * index;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer value = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
      int raw = (int) Long.parseLong(bits, 16);
      channel.write(size == 4 ? value.putInt(raw).flip() : value.putShort((short) raw).flip(), at);
    }
    assertThatThrownBy(() -> read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "tensor '" + tensor + "' with " + shown + " at flat index " + index + ":");
  }

  private static float[] values(RandomDecoderCheckpoint checkpoint, String name) {
    return checkpoint.tensors().get(name).values();
  }

  @Test
  void aShapeThatDoesNotFitTheConfigNamesFileAndTensor() throws IOException {
    Path model = RandomDecoderCheckpoint.tiny("llama").writeTo(directory);
    Files.writeString(
        model.resolve("config.json"),
        Files.readString(model.resolve("config.json"))
            .replace("\"head_dim\": 16", "\"head_dim\": 8"));
    assertThatThrownBy(() -> read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(model.resolve("model.safetensors").toString())
        .hasMessageContaining("tensor 'model.layers.0.self_attn.q_proj.weight' of shape [64, 32]")
        .hasMessageContaining("implies [32, 32]")
        .hasMessageContaining("head_dim=8");
  }

  @Test
  void missingTensorsAreReportedBeforeUnknownOnes() {
    Path model =
        RandomDecoderCheckpoint.tiny("qwen2")
            .writeTo(
                directory,
                name ->
                    name.equals("model.layers.1.self_attn.k_proj.bias")
                        ? "model.layers.1.self_attn.k_proj.extra"
                        : name);
    assertThatThrownBy(() -> read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has no tensor 'model.layers.1.self_attn.k_proj.bias'")
        .hasMessageContaining("Qwen2ForCausalLM checkpoint with 2 layers");
  }

  @Test
  void anUnknownTensorIsNamed() throws IOException {
    Path model = RandomDecoderCheckpoint.tiny("llama").writeTo(directory);
    Files.writeString(
        model.resolve("config.json"),
        Files.readString(model.resolve("config.json"))
            .replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 1"));
    assertThatThrownBy(() -> read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has tensor 'model.layers.1.")
        .hasMessageContaining("not part of a LlamaForCausalLM checkpoint with 1 layers");
  }

  @Test
  void aConfigOfAnotherFamilyReportsTheTensorItMisses() {
    Path qwen3 = RandomDecoderCheckpoint.tiny("qwen3").writeTo(directory.resolve("qwen3"));
    Path llama = RandomDecoderCheckpoint.tiny("llama").writeTo(directory.resolve("llama"));
    assertThatThrownBy(
            () ->
                SafetensorsDecoderReader.read(
                    llama, DecoderConfig.read(qwen3.resolve("config.json"))))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has no tensor 'model.layers.0.self_attn.q_norm.weight'");
  }

  @Test
  void aTensorInTwoShardsNamesBothFiles() throws IOException {
    Path model = RandomDecoderCheckpoint.tiny("llama").withShards(2).writeTo(directory);
    // Copy shard 1 over shard 2's name in the index's view: both shards now hold the same tensors.
    Files.copy(
        model.resolve("model-00001-of-00002.safetensors"),
        model.resolve("model-00002-of-00002.safetensors"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("is in two shards")
        .hasMessageContaining("model-00001-of-00002.safetensors")
        .hasMessageContaining("model-00002-of-00002.safetensors");
  }

  @Test
  void aTensorMissingFromTheShardTheIndexNamesIsAnError() throws IOException {
    Path model = RandomDecoderCheckpoint.tiny("mistral").withShards(2).writeTo(directory);
    Path index = model.resolve("model.safetensors.index.json");
    Files.writeString(
        index,
        Files.readString(index)
            .replace(
                "\"model.norm.weight\": \"model-00002-of-00002.safetensors\"",
                "\"model.norm.weight\": \"model-00001-of-00002.safetensors\""));
    assertThatThrownBy(() -> read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("puts tensor 'model.norm.weight' in")
        .hasMessageContaining("model-00001-of-00002.safetensors, which does not hold it");
  }

  @Test
  void aShardNameThatLeavesTheDirectoryIsRefused() throws IOException {
    Path model = RandomDecoderCheckpoint.tiny("mistral").withShards(2).writeTo(directory);
    Path index = model.resolve("model.safetensors.index.json");
    Files.writeString(
        index, Files.readString(index).replace("\"model-00002-of-00002.safetensors\"", "\"../x\""));
    assertThatThrownBy(() -> read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("a shard must be a file name in the same directory");
  }

  @Test
  void aDirectoryWithoutWeightsSaysWhatItLooksFor() throws IOException {
    Path model = RandomDecoderCheckpoint.tiny("llama").writeTo(directory);
    Files.delete(model.resolve("model.safetensors"));
    assertThatThrownBy(() -> read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has neither model.safetensors nor model.safetensors.index.json");
  }
}
