package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.model.local.fixture.TinyModels;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalGptModelTest {

  private static LocalGptModel javaModel;

  @BeforeAll
  static void load() {
    javaModel = LocalGptModel.builder(TinyModels.tiny()).device(LocalDevice.cpu()).build();
  }

  @AfterAll
  static void close() {
    javaModel.close();
  }

  private static ChatRequest ask(String text, ChatOptions options) {
    return ChatRequest.of(Message.system("Be brief."), Message.user(text)).withOptions(options);
  }

  @Test
  void djlAndJavaBackendsProduceTheSameGreedyReply() {
    ChatOptions greedy = ChatOptions.builder().temperature(0).maxTokens(12).build();
    try (LocalGptModel djl =
        LocalGptModel.builder(TinyModels.tiny())
            .backend(ComputeBackend.DJL)
            .device(LocalDevice.cpu())
            .build()) {
      assertThat(djl.runtimeDescription()).startsWith("djl-pytorch");
      assertThat(djl.chat(ask("hello world", greedy)).text())
          .isEqualTo(javaModel.chat(ask("hello world", greedy)).text());
    }
  }

  @Test
  void itsTokenCounterIsItsOwnTokenizer() {
    String text = "Where is my order? 我的订单 😀";
    try (BpeTokenizer tokenizer = BpeTokenizer.fromModelDirectory(TinyModels.tiny())) {
      int expected = tokenizer.encode(text).length;

      assertThat(javaModel.tokenCounter().orElseThrow().count(text))
          .isEqualTo(expected)
          .isNotEqualTo(TokenCounter.estimate().count(text));
    }
  }

  @Test
  void aSeedMakesSamplingRepeatable() {
    ChatOptions sampled =
        ChatOptions.builder().temperature(1.0).topK(40).topP(0.9).seed(7).maxTokens(10).build();
    assertThat(javaModel.chat(ask("hi", sampled)).text())
        .isEqualTo(javaModel.chat(ask("hi", sampled)).text());
  }

  @Test
  void unseededSamplingTakesItsSeedFromTheInjectedSource() {
    ChatOptions sampled = ChatOptions.builder().temperature(1.0).maxTokens(8).build();
    try (LocalGptModel fixed =
        LocalGptModel.builder(TinyModels.tiny())
            .device(LocalDevice.cpu())
            .seedSource(() -> 99)
            .build()) {
      ChatOptions seeded = ChatOptions.builder().temperature(1.0).maxTokens(8).seed(99).build();
      assertThat(fixed.chat(ask("hi", sampled)).text())
          .isEqualTo(fixed.chat(ask("hi", seeded)).text());
    }
  }

  @Test
  void aPromptLongerThanTheContextFailsByDefaultSayingWhatToDo() {
    ChatRequest tooLong = ask("word ".repeat(100), ChatOptions.defaults());
    assertThatThrownBy(() -> javaModel.chat(tooLong))
        .isInstanceOf(ContextOverflowException.class)
        .hasMessageContaining("context window is 64 tokens")
        .hasMessageContaining("DROP_OLDEST_TURNS");
  }

  @Test
  void droppingOldestTurnsKeepsTheSystemPromptAndTheLastMessage() {
    List<Message> conversation = new ArrayList<>();
    conversation.add(Message.system("Be brief."));
    for (int i = 0; i < 10; i++) {
      conversation.add(Message.user("question number " + i));
      conversation.add(Message.assistant("answer number " + i));
    }
    conversation.add(Message.user("last"));
    try (LocalGptModel dropping =
        LocalGptModel.builder(TinyModels.tiny())
            .device(LocalDevice.cpu())
            .contextOverflow(ContextOverflow.DROP_OLDEST_TURNS)
            .build()) {
      ChatResponse response =
          dropping.chat(
              ChatRequest.of(conversation)
                  .withOptions(ChatOptions.builder().temperature(0).maxTokens(4).build()));
      assertThat(response.usage().inputTokens()).isLessThan(64);
      assertThat(response.usage().outputTokens()).isBetween(1L, 4L);
    }
  }

  @Test
  void repliesStopAtTheContextWindowWithLengthAsTheReason() {
    ChatResponse response =
        javaModel.chat(ask("hello", ChatOptions.builder().temperature(0).maxTokens(500).build()));
    assertThat(response.usage().totalTokens()).isLessThanOrEqualTo(64);
    if (response.finishReason() == FinishReason.LENGTH) {
      assertThat(response.usage().totalTokens()).isEqualTo(64);
    }
  }

  @Test
  void weightsIsSetOnceAndQ8_0OnAGpt2CheckpointNeedsTheJavaEngine() {
    LocalGptModel.Builder builder =
        LocalGptModel.builder(TinyModels.tiny()).weights(WeightFormat.Q8_0);
    assertThatThrownBy(() -> builder.weights(WeightFormat.AS_STORED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("weights was already set to Q8_0");
    assertThatThrownBy(builder.backend(ComputeBackend.DJL).device(LocalDevice.cpu())::build)
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("GPT-2 checkpoint")
        .hasMessageContaining("weights(Q8_0)")
        .hasMessageContaining("ComputeBackend.JAVA");
  }

  @Test
  void everyChatFormatNamesItselfReadablyInErrorMessages() {
    assertThat(List.of(ChatFormat.transcript(), ChatFormat.dialoGpt(), ChatFormat.colloquy()))
        .extracting(ChatFormat::toString)
        .containsExactly("transcript", "dialogpt", "colloquy");
  }

  @Test
  void dialoGptFormatSeparatesTurnsWithEndOfText() {
    List<ChatFormat.Segment> segments =
        ChatFormat.dialoGpt().render(List.of(Message.user("Hi"), Message.assistant("Hey")));
    assertThat(segments)
        .containsExactly(
            new ChatFormat.Text("Hi"),
            ChatFormat.EndOfText.INSTANCE,
            new ChatFormat.Text("Hey"),
            ChatFormat.EndOfText.INSTANCE);
    try (LocalGptModel dialo =
        LocalGptModel.builder(TinyModels.tiny())
            .device(LocalDevice.cpu())
            .chatFormat(ChatFormat.dialoGpt())
            .build()) {
      ChatResponse response =
          dialo.chat(
              ChatRequest.of(Message.user("Hi"))
                  .withOptions(ChatOptions.builder().temperature(0).maxTokens(3).build()));
      assertThat(response.usage().inputTokens()).isEqualTo(2); // "Hi", <|endoftext|>
    }
  }

  @Test
  void theTranscriptFormatLabelsRolesAndStopsAtTheNextLabel() {
    List<ChatFormat.Segment> segments =
        ChatFormat.transcript()
            .render(
                List.of(
                    Message.system("Be kind."),
                    Message.user("Hi"),
                    Message.assistant("Hello"),
                    Message.user("Bye")));
    assertThat(segments)
        .containsExactly(
            new ChatFormat.Text("Be kind.\n\nUser: Hi\nAssistant: Hello\nUser: Bye\nAssistant:"));
    assertThat(ChatFormat.transcript().stopSequences()).contains("\nUser:");
  }

  @Test
  void concurrentRequestsEachGetTheirOwnReply() throws Exception {
    ChatOptions greedy = ChatOptions.builder().temperature(0).maxTokens(6).build();
    String expected = javaModel.chat(ask("hello", greedy)).text();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> replies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        replies.add(callers.submit(() -> javaModel.chat(ask("hello", greedy)).text()));
      }
      for (Future<String> reply : replies) {
        assertThat(reply.get()).isEqualTo(expected);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void theBuilderRejectsASettingMadeTwice() {
    LocalGptModel.Builder builder = LocalGptModel.builder(TinyModels.tiny()).threads(2);
    assertThatThrownBy(() -> builder.threads(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("threads was already set to 2");
  }

  @Test
  void parsesDeviceNames() {
    assertThat(LocalDevice.parse("gpu:1")).isEqualTo(LocalDevice.gpu(1));
    assertThat(LocalDevice.parse("CPU")).isEqualTo(LocalDevice.cpu());
    assertThatThrownBy(() -> LocalDevice.parse("tpu"))
        .hasMessageContaining("expected auto, cpu, gpu or gpu:N");
  }

  @Test
  void asksForAGpuThatDoesNotExistFailsClearly() {
    assertThatThrownBy(
            () -> LocalGptModel.builder(TinyModels.tiny()).device(LocalDevice.gpu(7)).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("gpu(7)");
  }
}
