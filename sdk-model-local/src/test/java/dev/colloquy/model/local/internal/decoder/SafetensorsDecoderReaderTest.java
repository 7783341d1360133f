package dev.colloquy.model.local.internal.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsDecoderReaderTest {

  @TempDir Path directory;

  private static DecoderWeights read(Path model) {
    return SafetensorsDecoderReader.read(model, DecoderConfig.read(model.resolve("config.json")));
  }

  @Test
  void splitsPhi3sFusedProjectionsIntoCanonicalTensors() {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny("phi3");
    DecoderWeights weights = read(checkpoint.writeTo(directory));
    float[] fused = checkpoint.tensors().get("model.layers.1.self_attn.qkv_proj.weight").values();
    float[] key = weights.floats(TensorNames.key(1));
    // k rows follow the 4 × 8 query rows; each row has 32 columns.
    assertThat(key).hasSize(2 * 8 * 32);
    assertThat(key[0]).isEqualTo(fused[32 * 32]);
    float[] gateUp = checkpoint.tensors().get("model.layers.0.mlp.gate_up_proj.weight").values();
    assertThat(weights.floats(TensorNames.up(0))[0]).isEqualTo(gateUp[48 * 32]);
    assertThat(weights.floats(TensorNames.gate(0))[5]).isEqualTo(gateUp[5]);
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
