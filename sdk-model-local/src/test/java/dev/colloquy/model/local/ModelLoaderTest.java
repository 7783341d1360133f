package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {

  @TempDir
  Path directory;

  @Test
  void stopsReadingAnEndlessGenerationConfigAtItsCap() throws IOException {
    Path file = Files.createSymbolicLink(directory.resolve("generation_config.json"), Path.of("/dev/zero"));
    assertThatThrownBy(() -> ModelLoader.readGenerationConfig(file)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("larger than 1 MiB");
  }
}
