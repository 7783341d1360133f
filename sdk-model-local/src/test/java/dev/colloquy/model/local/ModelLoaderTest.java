package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.tokenizer.BpeTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelLoaderTest {

  @TempDir
  Path directory;

  @Test
  void stopsReadingAnEndlessGenerationConfigAtItsCap() throws IOException {
    Path file = Files.createSymbolicLink(directory.resolve("generation_config.json"), Path.of("/dev/zero"));
    assertThatThrownBy(() -> ModelLoader.readGenerationConfig(file)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("larger than 1 MiB");
  }

  @Test
  void aTokenizerSmallerThanTheVocabularySizeIsRefusedAtLoadNotAtGeneration() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(model.resolve("tokenizer.json"), BpeTrainer.train(List.of("hello world"), 300));
    assertThatThrownBy(() -> LocalGptModel.builder(model).device(LocalDevice.cpu()).build())
        .isInstanceOf(ModelLoadException.class).hasMessageContaining(model.resolve("tokenizer.json").toString())
        .hasMessageContaining("but config.json's vocab_size is 50257");
  }

  @ParameterizedTest
  @CsvSource({"max_new_tokens, 4294967297", "top_k, 4294967346", "max_new_tokens, -5"})
  void generationConfigIntegersOutOfRangeAreErrorsNamingTheFieldNotWraps(String field, String value)
      throws IOException {
    Path file = directory.resolve("generation_config.json");
    Files.writeString(file, "{\"do_sample\": true, \"" + field + "\": " + value + "}");
    assertThatThrownBy(() -> ModelLoader.readGenerationConfig(file)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("needs '" + field + "' as an integer")
        .hasMessageContaining("found " + value);
  }
}
