package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.model.local.fixture.GgufConversion;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.fixture.TinyModels;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import dev.colloquy.model.local.internal.tokenizer.BpeTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelLoaderTest {

  @TempDir Path directory;

  @Test
  void stopsReadingAnEndlessGenerationConfigAtItsCap() throws IOException {
    Path file =
        Files.createSymbolicLink(directory.resolve("generation_config.json"), Path.of("/dev/zero"));
    assertThatThrownBy(() -> ModelLoader.readGenerationConfig(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("larger than 1 MiB");
  }

  @Test
  void anEmbeddingPaddedBeyondTheTokenizerLoadsAndNeverGeneratesAPaddingId() throws IOException {
    // Regression: a tokenizer smaller than vocab_size loaded, then generation failed on an id it
    // could not decode. nanoGPT and Qwen2 pad their embeddings like this on purpose.
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(
        model.resolve("tokenizer.json"), BpeTrainer.train(List.of("hello world"), 300));
    Files.writeString(
        model.resolve("config.json"),
        RandomGpt2Checkpoint.tiny()
            .configJson()
            .replace("\"eos_token_id\": 50256", "\"eos_token_id\": 256"));
    Files.writeString(model.resolve("generation_config.json"), "{\"eos_token_id\": 256}");

    try (LocalGptModel local = LocalGptModel.builder(model).device(LocalDevice.cpu()).build()) {
      for (long seed = 1; seed <= 5; seed++) {
        ChatResponse response =
            local.chat(
                ChatRequest.of(Message.user("hello world"))
                    .withOptions(
                        ChatOptions.builder().temperature(1.5).seed(seed).maxTokens(24).build()));
        assertThat(response.usage().outputTokens()).isPositive();
      }
    }
  }

  @Test
  void anEndOfTextIdTheTokenizerCannotDecodeIsRefusedAtLoad() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(
        model.resolve("tokenizer.json"), BpeTrainer.train(List.of("hello world"), 300));
    assertThatThrownBy(() -> LocalGptModel.builder(model).device(LocalDevice.cpu()).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "eos_token_id 50256 is not a token of " + model.resolve("tokenizer.json"));
  }

  @ParameterizedTest
  @CsvSource({"max_new_tokens, 4294967297", "top_k, 4294967346", "max_new_tokens, -5"})
  void generationConfigIntegersOutOfRangeAreErrorsNamingTheFieldNotWraps(String field, String value)
      throws IOException {
    Path file = directory.resolve("generation_config.json");
    Files.writeString(file, "{\"do_sample\": true, \"" + field + "\": " + value + "}");
    assertThatThrownBy(() -> ModelLoader.readGenerationConfig(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("needs '" + field + "' as an integer")
        .hasMessageContaining("found " + value);
  }

  @Test
  void loadsADirectoryWithVocabJsonAndMergesTxtInsteadOfTokenizerJson() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.delete(model.resolve("tokenizer.json"));
    JsonNode tokenizer = new ObjectMapper().readTree(Gpt2TokenizerJson.text()).path("model");
    Files.writeString(model.resolve("vocab.json"), tokenizer.path("vocab").toString());
    StringBuilder merges = new StringBuilder("#version: 0.2\n");
    tokenizer.path("merges").forEach(merge -> merges.append(merge.asText()).append('\n'));
    Files.writeString(model.resolve("merges.txt"), merges);
    ChatRequest hello =
        ChatRequest.of(Message.user("hello world"))
            .withOptions(ChatOptions.builder().temperature(0).maxTokens(8).build());
    try (LocalGptModel fromPair = LocalGptModel.builder(model).device(LocalDevice.cpu()).build();
        LocalGptModel fromJson =
            LocalGptModel.builder(TinyModels.tiny()).device(LocalDevice.cpu()).build()) {
      ChatResponse reply = fromPair.chat(hello);
      assertThat(reply.usage().inputTokens()).isEqualTo(fromJson.chat(hello).usage().inputTokens());
      assertThat(reply.text()).isEqualTo(fromJson.chat(hello).text());
    }
  }

  /** A wrong directory fails on its small files before the large weights file is opened. */
  @ParameterizedTest
  @ValueSource(strings = {"config.json", "generation_config.json", "tokenizer.json"})
  void aBrokenSmallFileIsReportedBeforeTheWeightsAreRead(String smallFile) throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(model.resolve(smallFile), "{ not json");
    Files.write(
        model.resolve("model.safetensors"),
        new byte[] {
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          (byte) 0xff,
          0x7f,
          0
        });
    assertThatThrownBy(() -> LocalGptModel.builder(model).device(LocalDevice.cpu()).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(model.resolve(smallFile).toString())
        .hasMessageNotContaining("safetensors file");
  }

  @Test
  void aFileThatIsNotAGgufFileIsAClearError() throws IOException {
    Path file = Files.writeString(directory.resolve("model.bin"), "weights");
    assertThatThrownBy(() -> LocalGptModel.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("is a file but not a .gguf file");
  }

  @Test
  void aFolderWithSeveralGgufFilesAsksForOne() throws IOException {
    Files.writeString(directory.resolve("a-q4_0.gguf"), "");
    Files.writeString(directory.resolve("b-q8_0.gguf"), "");
    assertThatThrownBy(() -> LocalGptModel.load(directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("holds 2 GGUF files ([a-q4_0.gguf, b-q8_0.gguf])")
        .hasMessageContaining("give the path of the one to load");
  }

  @Test
  void aGgufFileWithoutATokenizerAnywhereSaysWhereToPutOne() {
    Path file =
        GgufConversion.write(
            RandomDecoderCheckpoint.tiny("qwen2"),
            RandomDecoderCheckpoint.tiny("qwen2").tensors(),
            directory.resolve("bare.gguf"),
            GgmlType.F32,
            writer -> {});
    assertThatThrownBy(() -> LocalGptModel.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has no tokenizer")
        .hasMessageContaining("put the model's tokenizer.json next to the file");
  }
}
