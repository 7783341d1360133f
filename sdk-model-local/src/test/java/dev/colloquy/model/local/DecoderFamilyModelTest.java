package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Llama-style family directories through {@link LocalGptModel}, end to end on the Java engine. */
class DecoderFamilyModelTest {

  @TempDir Path directory;

  private Path write(String family) throws IOException {
    Path model =
        RandomDecoderCheckpoint.tiny(family)
            .withVocabulary(50257) // the byte-level tokenizer's size
            .withShards(2)
            .writeTo(directory.resolve(family));
    Files.writeString(model.resolve("tokenizer.json"), Gpt2TokenizerJson.text());
    return model;
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "qwen3", "phi3"})
  void aFamilyDirectoryChatsOnTheJavaBackend(String family) throws IOException {
    ChatOptions greedy = ChatOptions.builder().temperature(0).maxTokens(6).build();
    try (LocalGptModel model =
        LocalGptModel.builder(write(family))
            .backend(ComputeBackend.JAVA)
            .chatFormat(ChatFormat.transcript())
            .build()) {
      assertThat(model.runtimeDescription()).startsWith("java-cpu").contains(family);
      ChatRequest request = ChatRequest.of(Message.user("hello there"));
      ChatResponse first = model.chat(request.withOptions(greedy));
      assertThat(first.usage().outputTokens()).isBetween(1L, 6L);
      assertThat(model.chat(request.withOptions(greedy)).text()).isEqualTo(first.text());
      assertThat(model.capabilities().contextWindow()).isEqualTo(64);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mistral", "qwen2"})
  void theDjlBackendOnTheCpuRepliesAsTheJavaBackendDoes(String family) throws IOException {
    Path model = write(family);
    ChatOptions greedy = ChatOptions.builder().temperature(0).maxTokens(6).build();
    ChatRequest request = ChatRequest.of(Message.user("hello there")).withOptions(greedy);
    String javaReply;
    try (LocalGptModel java =
        LocalGptModel.builder(model)
            .backend(ComputeBackend.JAVA)
            .chatFormat(ChatFormat.transcript())
            .build()) {
      javaReply = java.chat(request).text();
    }
    try (LocalGptModel djl =
        LocalGptModel.builder(model)
            .backend(ComputeBackend.DJL)
            .device(LocalDevice.cpu())
            .chatFormat(ChatFormat.transcript())
            .build()) {
      assertThat(djl.runtimeDescription()).isEqualTo("djl-pytorch cpu(), " + family);
      assertThat(djl.chat(request).text()).isEqualTo(javaReply);
    }
  }

  @Test
  void theJavaBackendOnAGpuIsAClearError() throws IOException {
    Path model = write("qwen2");
    assertThatThrownBy(
            () ->
                LocalGptModel.builder(model)
                    .backend(ComputeBackend.JAVA)
                    .device(LocalDevice.gpu(0))
                    .build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("CPU only")
        .hasMessageContaining("ComputeBackend.DJL");
  }

  @Test
  void anUnknownModelTypeListsTheSupportedFamilies() throws IOException {
    Path model = write("llama");
    Files.writeString(
        model.resolve("config.json"),
        Files.readString(model.resolve("config.json")).replace("\"llama\"", "\"falcon\""));
    assertThatThrownBy(() -> LocalGptModel.load(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model_type 'falcon'")
        .hasMessageContaining("qwen3 (Qwen3ForCausalLM)")
        .hasMessageContaining("gpt2");
  }
}
