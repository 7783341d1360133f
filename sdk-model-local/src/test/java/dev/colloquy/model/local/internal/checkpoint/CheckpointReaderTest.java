package dev.colloquy.model.local.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointReaderTest {

  @TempDir
  Path directory;

  @Test
  void loadsTensorNamesWithAndWithoutTheTransformerPrefixAlike() {
    GptWeights plain = CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("plain")));
    GptWeights prefixed = CheckpointReader.read(
        RandomGpt2Checkpoint.tiny().withPrefix(true).writeTo(directory.resolve("prefixed")));
    assertThat(prefixed.layers().get(1).mlpOutWeight()).containsExactly(plain.layers().get(1).mlpOutWeight());
    assertThat(plain.lmHead()).isSameAs(plain.tokenEmbedding());
    assertThat(plain.config().layerCount()).isEqualTo(2);
  }

  @Test
  void widensBf16CheckpointsToTheSameValuesRoundedToBf16() {
    GptWeights f32 = CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("f32")));
    GptWeights bf16 = CheckpointReader.read(RandomGpt2Checkpoint.tiny().withDtype("BF16").writeTo(directory.resolve("bf16")));
    float original = f32.positionEmbedding()[5];
    float truncated = Float.intBitsToFloat(Float.floatToIntBits(original) & 0xffff0000);
    assertThat(bf16.positionEmbedding()[5]).isEqualTo(truncated);
  }

  @Test
  void refusesPickleCheckpointsWithAConversionHint() throws IOException {
    Files.write(directory.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
    assertThatThrownBy(() -> CheckpointReader.read(directory)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("pytorch_model.bin").hasMessageContaining("safe_serialization=True");
  }

  @Test
  void rejectsAConfigThatDoesNotFitTheWeightsNamingTheTensor() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(model.resolve("config.json"), RandomGpt2Checkpoint.tiny().withPositions(128).configJson());
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .hasMessageContaining("tensor 'wpe.weight' of shape [64, 32] but config.json implies [128, 32]");
  }

  @Test
  void rejectsACheckpointWithMissingLayersNamingTheTensor() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(model.resolve("config.json"), RandomGpt2Checkpoint.tiny().configJson().replace("\"n_layer\": 2", "\"n_layer\": 3"));
    assertThatThrownBy(() -> CheckpointReader.read(model)).hasMessageContaining("has no tensor 'h.2.ln_1.weight'");
  }

  @Test
  void rejectsAConfigWithoutTheWidth() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(model.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
    assertThatThrownBy(() -> CheckpointReader.read(model)).hasMessageContaining("needs 'n_embd'");
  }

  @Test
  void stopsReadingAnEndlessConfigFileAtItsCap() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.delete(model.resolve("config.json"));
    Files.createSymbolicLink(model.resolve("config.json"), Path.of("/dev/zero"));
    assertThatThrownBy(() -> CheckpointReader.read(model)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(model.resolve("config.json").toString()).hasMessageContaining("larger than 1 MiB");
  }
}
