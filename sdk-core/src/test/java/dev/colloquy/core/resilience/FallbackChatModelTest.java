package dev.colloquy.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.fakes.FakeChatModel;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import org.junit.jupiter.api.Test;

class FallbackChatModelTest {

  private static final ChatRequest REQUEST = ChatRequest.of(Message.user("hello"));

  private final FakeChatModel remote = new FakeChatModel("remote");
  private final FakeChatModel backup = new FakeChatModel("backup");
  private final FakeChatModel local = new FakeChatModel("local");

  @Test
  void triesModelsInOrderAndTheResponseSaysWhichAnswered() {
    remote.thenFail(new NonRetryableException("401 bad key"));
    backup.thenFail(new RetryableException("503"));
    local.thenReply("from local");
    ChatModel model = FallbackChatModel.of(remote, backup, local);

    ChatResponse response = model.chat(REQUEST);

    assertThat(response.modelId()).isEqualTo("local");
    assertThat(response.text()).isEqualTo("from local");
    assertThat(remote.calls()).isEqualTo(1);
    assertThat(backup.calls()).isEqualTo(1);
  }

  @Test
  void stopsAtThePrimaryWhenItAnswers() {
    remote.thenReply("from remote");
    ChatModel model = FallbackChatModel.of(remote, local);

    assertThat(model.chat(REQUEST).modelId()).isEqualTo("remote");
    assertThat(local.calls()).isZero();
  }

  @Test
  void throwsTheLastFailureWithTheEarlierOnesSuppressedWhenAllFail() {
    RetryableException first = new RetryableException("remote down");
    RetryableException last = new RetryableException("local down");
    remote.thenFail(first);
    local.thenFail(last);

    assertThatThrownBy(() -> FallbackChatModel.of(remote, local).chat(REQUEST))
        .isSameAs(last)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(first));
  }

  @Test
  void doesNotSwitchModelsOnceTheStreamHasStarted() {
    remote.thenStreamAndFail("Hal", new RetryableException("cut"));
    local.thenReply("whole");
    StringBuilder seen = new StringBuilder();

    assertThatThrownBy(
            () ->
                FallbackChatModel.of(remote, local)
                    .generate(REQUEST, seen::append, Cancellation.none()))
        .hasMessage("cut");
    assertThat(local.calls()).isZero();
    assertThat(seen).hasToString("Hal");
  }

  @Test
  void doesNotFallBackWhenTheCallerCancelled() {
    remote.thenFail(new CancelledException("cancelled"));
    local.thenReply("unused");

    assertThatThrownBy(() -> FallbackChatModel.of(remote, local).chat(REQUEST))
        .isInstanceOf(CancelledException.class);
    assertThat(local.calls()).isZero();
  }

  @Test
  void eachModelKeepsItsOwnPolicyInTheChain() {
    remote.thenFail(new RetryableException("503"));
    local.thenReply("local answer");
    ResiliencePolicy twoAttempts =
        ResiliencePolicy.builder()
            .maxAttempts(2)
            .noCircuitBreaker()
            .sleeper((duration, cancellation) -> {})
            .build();
    ChatModel model =
        FallbackChatModel.of(
            twoAttempts.decorate("remote", remote),
            ResiliencePolicy.builder().maxAttempts(1).build().decorate("local", local));

    assertThat(model.chat(REQUEST).modelId()).isEqualTo("local");
    assertThat(remote.calls()).isEqualTo(2);
    assertThat(local.calls()).isEqualTo(1);
  }

  @Test
  void needsAtLeastOneFallback() {
    assertThatThrownBy(() -> FallbackChatModel.of(remote))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one fallback");
  }
}
