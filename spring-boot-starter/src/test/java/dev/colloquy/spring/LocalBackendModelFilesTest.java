package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.model.local.LocalGptModel;
import dev.colloquy.model.local.ScriptedCheckpoint;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code colloquy.local.model-path} naming a checkpoint of a Llama-style family: a Qwen3 folder in
 * the Hugging Face layout and a lone GGUF file, both with the real Qwen3 tokenizer and chat
 * template, scripted to answer "It is noon." after the template's assistant header ({@link
 * ScriptedCheckpoint}).
 */
class LocalBackendModelFilesTest {

  @TempDir static Path folder;
  private static Path huggingFaceDirectory;
  private static Path ggufFile;

  private final ApplicationContextRunner runner = Runners.colloquy();

  @BeforeAll
  static void writeCheckpoints() {
    ScriptedCheckpoint checkpoint = ScriptedCheckpoint.replying("It is noon.");
    huggingFaceDirectory = checkpoint.writeHuggingFaceDirectory(folder.resolve("qwen3"));
    ggufFile =
        checkpoint.writeGguf(folder.resolve("gguf").resolve("qwen3-q8_0.gguf"), GgmlType.Q8_0);
  }

  @Test
  void aQwen3FolderIsTheLocalChatModelAndAnswersThroughItsOwnTemplate() {
    assertChatsAndCloses(huggingFaceDirectory);
  }

  @Test
  void aGgufFileIsTheLocalChatModelAndAnswersThroughTheTemplateInItsMetadata() {
    assertChatsAndCloses(ggufFile);
  }

  private void assertChatsAndCloses(Path modelPath) {
    runner
        .withPropertyValues(
            "colloquy.backend=local",
            "colloquy.local.model-path=" + modelPath,
            "colloquy.local.device=cpu",
            "colloquy.local.threads=1")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(LocalGptModel.class);
              ChatModel model = context.getBean(ChatModel.class);
              assertThat(model.capabilities().toolCalling()).isTrue();
              ChatResponse response =
                  model.chat(
                      ChatRequest.of(Message.user("What time is it?"))
                          .withOptions(ChatOptions.builder().temperature(0).maxTokens(16).build()));
              assertThat(response.text()).isEqualTo("It is noon.");
              // The context closes the model with itself (native memory, kernel threads).
              assertThat(
                      context
                          .getBeanFactory()
                          .getBeanDefinition("colloquyLocalChatModel")
                          .getDestroyMethodName())
                  .isEqualTo("close");
            });
  }
}
