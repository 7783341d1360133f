package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.resilience.CallRejectedException;
import dev.colloquy.model.local.LocalGptModel;
import dev.colloquy.model.local.ScriptedCheckpoint;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  @Test
  void batchSlotsAndMaxQueuedRequestsReachTheModel() {
    runner
        .withPropertyValues(
            "colloquy.backend=local",
            "colloquy.local.model-path=" + huggingFaceDirectory,
            "colloquy.local.device=cpu",
            "colloquy.local.threads=1",
            "colloquy.local.batch-slots=1",
            "colloquy.local.max-queued-requests=0")
        .run(
            context -> {
              ChatModel model = context.getBean(ChatModel.class);
              ChatRequest request =
                  ChatRequest.of(Message.user("What time is it?"))
                      .withOptions(ChatOptions.builder().temperature(0).maxTokens(16).build());
              CountDownLatch streaming = new CountDownLatch(1);
              CountDownLatch finish = new CountDownLatch(1);
              ExecutorService caller = Executors.newSingleThreadExecutor();
              try {
                // The first request holds the only slot while its listener waits.
                Future<ChatResponse> first =
                    caller.submit(
                        () ->
                            model.generate(
                                request,
                                delta -> {
                                  streaming.countDown();
                                  awaitUninterruptibly(finish);
                                },
                                Cancellation.none()));
                streaming.await();
                assertThatThrownBy(() -> model.chat(request))
                    .isInstanceOf(CallRejectedException.class)
                    .hasMessageContaining("all 1 batch slot(s) are taken and 0 request(s) wait");
                finish.countDown();
                assertThat(first.get().text()).isEqualTo("It is noon.");
              } finally {
                caller.shutdownNow();
              }
            });
  }

  @Test
  void batchSlotsOutOfRangeStopStartupNamingTheProperty() {
    runner
        .withPropertyValues("colloquy.local.batch-slots=0")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("colloquy.local.batch-slots must be between 1 and 1024, was 0");
            });
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
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
