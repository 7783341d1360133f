package dev.colloquy.model.remote;

import static dev.colloquy.model.remote.FakeOpenAiServer.errorBody;
import static dev.colloquy.model.remote.FakeOpenAiServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.observe.ChatEvent;
import dev.colloquy.core.resilience.CallRejectedException;
import dev.colloquy.core.resilience.ResiliencePolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for retries in two layers: one chat() through a ResiliencePolicy of 3 attempts
 * against a 503 sent 9 requests, and the breaker saw one failure per three.
 */
class OpenAiRetryOwnershipTest {

  private static final ChatRequest HELLO = ChatRequest.of(Message.user("Hello"));

  private final FakeOpenAiServer server = FakeOpenAiServer.start();
  private final RecordingSleeper clientSleeper = new RecordingSleeper();
  private final List<ChatEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private void answerEveryRequestWith503() {
    for (int i = 0; i < 20; i++) {
      server.enqueue(status(503, errorBody("overloaded")));
    }
  }

  private ResiliencePolicy.Builder policy() {
    return ResiliencePolicy.builder()
        .sleeper((wait, cancellation) -> {})
        .noTimeout()
        .listener(events::add);
  }

  @Test
  void aPolicyOfThreeAttemptsSendsExactlyThreeRequestsAndItsBreakerSeesEachFailure() {
    answerEveryRequestWith503();
    OpenAiChatModel remote =
        server.model(clientSleeper).build(); // maxRetries left at its default, 2
    // A window of 6 is judged after 3 calls: the breaker opens only if it saw all three failures.
    ChatModel protectedModel =
        policy()
            .maxAttempts(3)
            .circuitBreaker(6, 100f, Duration.ofMinutes(1), 1)
            .build()
            .decorate("remote", remote);

    assertThatThrownBy(() -> protectedModel.chat(HELLO))
        .isInstanceOf(RemoteUnavailableException.class);

    assertThat(server.served()).isEqualTo(3);
    assertThat(clientSleeper.waits()).as("the client's own retry loop never waited").isEmpty();
    assertThat(events).filteredOn(ChatEvent.RetryScheduled.class::isInstance).hasSize(2);
    assertThatThrownBy(() -> protectedModel.chat(HELLO))
        .isInstanceOfSatisfying(
            CallRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(CallRejectedException.Reason.CIRCUIT_OPEN));
    assertThat(server.served()).as("an open breaker sends nothing").isEqualTo(3);
  }

  @Test
  void aPolicyOfOneAttemptSendsOneRequest() {
    answerEveryRequestWith503();
    ChatModel protectedModel =
        policy().maxAttempts(1).build().decorate("remote", server.model(clientSleeper).build());

    assertThatThrownBy(() -> protectedModel.chat(HELLO))
        .isInstanceOf(RemoteUnavailableException.class);

    assertThat(server.served()).isEqualTo(1);
  }

  @Test
  void theModelOnItsOwnKeepsItsRetriesAndItsFormWithoutThemSharesItsServer() {
    answerEveryRequestWith503();
    OpenAiChatModel remote = server.model(clientSleeper).build();
    ChatModel once = remote.withoutOwnRetries().orElseThrow();

    assertThatThrownBy(() -> remote.chat(HELLO)).isInstanceOf(RemoteUnavailableException.class);
    assertThat(server.served()).isEqualTo(3);
    assertThatThrownBy(() -> once.chat(HELLO)).isInstanceOf(RemoteUnavailableException.class);
    assertThat(server.served()).isEqualTo(4);
    assertThat(once.toString()).endsWith(", no retries]");
    assertThat(server.model(clientSleeper).maxRetries(0).build().withoutOwnRetries()).isEmpty();
  }
}
