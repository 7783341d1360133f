package dev.colloquy.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.cache.ResponseCache;
import dev.colloquy.core.fakes.FakeChatModel;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.observe.ChatListener;
import dev.colloquy.core.observe.ListeningChatModel;
import dev.colloquy.core.resilience.FallbackChatModel;
import dev.colloquy.core.resilience.ResiliencePolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decorators of the production chain pass a response's logprobs through untouched. */
class LogprobsThroughDecoratorsTest {

  private static final List<TokenLogprob> TOKENS =
      List.of(
          new TokenLogprob(
              "Paris",
              -0.01,
              "Paris".getBytes(StandardCharsets.UTF_8),
              List.of(
                  new TokenLogprob.Alternative(
                      "Paris", -0.01, "Paris".getBytes(StandardCharsets.UTF_8)))));

  private static final ChatRequest REQUEST =
      ChatRequest.of(Message.user("capital of France?"))
          .withOptions(ChatOptions.builder().temperature(0).logprobs(1).build());

  @Test
  void cacheHitsFallbacksRetriesAndListenersKeepTheLogprobs() {
    FakeChatModel backend =
        new FakeChatModel("m")
            .then(
                (request, stream, cancellation) -> {
                  stream.onText("Paris");
                  return new ChatResponse(
                      AssistantMessage.of("Paris"),
                      FinishReason.STOP,
                      new TokenUsage(3, 1),
                      "m",
                      List.of(),
                      TOKENS);
                });
    ChatModel chain =
        ResponseCache.builder()
            .build()
            .decorate(
                "m",
                FallbackChatModel.of(
                    ListeningChatModel.of(
                        "m", ResiliencePolicy.defaults().decorate("m", backend), ChatListener.NONE),
                    new FakeChatModel("backup")));

    ChatResponse first = chain.chat(REQUEST);
    ChatResponse cached = chain.chat(REQUEST);

    assertThat(first.logprobs()).isEqualTo(TOKENS);
    assertThat(cached.logprobs()).isEqualTo(TOKENS);
    assertThat(backend.calls()).isEqualTo(1);
  }
}
