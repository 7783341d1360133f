package dev.colloquy.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.LocalGptModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomCheckpointTest {

  @TempDir Path directory;

  @Test
  void writesACheckpointTheLocalRuntimeLoads() {
    new RandomCheckpoint(1, 2, 16, 32, 7).writeTo(directory);

    assertThat(directory.resolve("tokenizer.json")).isNotEmptyFile();
    try (LocalGptModel model = LocalGptModel.load(directory)) {
      assertThat(model.capabilities().contextWindow()).isEqualTo(32);
    }
  }

  @Test
  void theSameShapeAndSeedWriteTheSameWeights(@TempDir Path other) throws Exception {
    new RandomCheckpoint(1, 2, 16, 32, 7).writeTo(directory);
    new RandomCheckpoint(1, 2, 16, 32, 7).writeTo(other);

    assertThat(
            Files.mismatch(
                directory.resolve("model.safetensors"), other.resolve("model.safetensors")))
        .isEqualTo(-1L);
  }

  @Test
  void rejectsAWidthThatTheHeadsDoNotDivide() {
    assertThatThrownBy(() -> new RandomCheckpoint(1, 3, 16, 32, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("width 16 is not divisible by heads 3");
  }

  @Test
  void rejectsZeroLayers() {
    assertThatThrownBy(() -> new RandomCheckpoint(0, 2, 16, 32, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("layers must be at least 1, was 0");
  }
}
