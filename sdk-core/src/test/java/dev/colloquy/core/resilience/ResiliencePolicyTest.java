package dev.colloquy.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.fakes.FakeChatModel;
import dev.colloquy.core.fakes.ManualScheduler;
import dev.colloquy.core.fakes.MutableClock;
import dev.colloquy.core.fakes.RecordingSleeper;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.observe.ChatEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResiliencePolicyTest {

  private static final ChatRequest REQUEST = ChatRequest.of(Message.user("hello"));

  private final MutableClock clock = new MutableClock();
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final FakeChatModel backend = new FakeChatModel("primary");

  private ResiliencePolicy.Builder policy() {
    return ResiliencePolicy.builder()
        .clock(clock)
        .sleeper(sleeper)
        .scheduler(scheduler)
        .random(() -> 0.0);
  }

  @Test
  void retriesRetryableFailuresWithDoublingBackoffUntilOneSucceeds() {
    backend
        .thenFail(new RetryableException("503"))
        .thenFail(new RetryableException("503"))
        .thenReply("hi");
    ChatModel model = policy().noCircuitBreaker().build().decorate("primary", backend);

    assertThat(model.chat(REQUEST).text()).isEqualTo("hi");
    assertThat(backend.calls()).isEqualTo(3);
    // Jitter factor 0.75 at random 0: 1 s * 0.75, then 2 s * 0.75.
    assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500));
  }

  @Test
  void givesUpAfterMaxAttemptsAndThrowsTheLastFailure() {
    RetryableException last = new RetryableException("still down");
    backend.thenFail(new RetryableException("down")).thenFail(last);
    ChatModel model =
        policy().maxAttempts(2).noCircuitBreaker().build().decorate("primary", backend);

    assertThatThrownBy(() -> model.chat(REQUEST)).isSameAs(last);
    assertThat(backend.calls()).isEqualTo(2);
  }

  @Test
  void honoursTheRetryAfterTheServerAskedFor() {
    backend.thenFail(new RetryableException("429", null, Duration.ofSeconds(7))).thenReply("ok");
    ChatModel model = policy().noCircuitBreaker().build().decorate("primary", backend);

    model.chat(REQUEST);
    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void failsAtOnceWhenTheServerAsksForAWaitOverTheCap() {
    backend.thenFail(new RetryableException("429", null, Duration.ofMinutes(10))).thenReply("ok");
    ChatModel model = policy().noCircuitBreaker().build().decorate("primary", backend);

    assertThatThrownBy(() -> model.chat(REQUEST)).isInstanceOf(RetryableException.class);
    assertThat(backend.calls()).isEqualTo(1);
  }

  @Test
  void neverRetriesNonRetryableFailures() {
    backend.thenFail(new NonRetryableException("401 bad key")).thenReply("ok");
    ChatModel model = policy().build().decorate("primary", backend);

    assertThatThrownBy(() -> model.chat(REQUEST)).hasMessage("401 bad key");
    assertThat(backend.calls()).isEqualTo(1);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void retriesAStreamOnlyBeforeItsFirstDelta() {
    backend.thenStreamAndFail("Hel", new RetryableException("connection reset")).thenReply("Hello");
    ChatModel model = policy().noCircuitBreaker().build().decorate("primary", backend);
    StringBuilder seen = new StringBuilder();

    assertThatThrownBy(() -> model.generate(REQUEST, seen::append, Cancellation.none()))
        .hasMessage("connection reset");
    assertThat(backend.calls()).isEqualTo(1);
    assertThat(seen).hasToString("Hel");
  }

  @Test
  void reportsEachRetryToTheListener() {
    List<ChatEvent> events = new ArrayList<>();
    backend.thenFail(new RetryableException("503")).thenReply("ok");
    ChatModel model =
        policy().noCircuitBreaker().listener(events::add).build().decorate("primary", backend);

    model.chat(REQUEST);
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            ChatEvent.RetryScheduled.class,
            retry -> {
              assertThat(retry.model()).isEqualTo("primary");
              assertThat(retry.attempt()).isEqualTo(1);
              assertThat(retry.delay()).isEqualTo(Duration.ofMillis(750));
            });
  }

  @Test
  void opensTheBreakerAfterFailuresAndClosesItAgainThroughHalfOpen() {
    backend
        .thenFail(new RetryableException("503"))
        .thenFail(new RetryableException("503"))
        .thenReply("back");
    ChatModel model =
        policy()
            .maxAttempts(1)
            .circuitBreaker(4, 50, Duration.ofSeconds(30), 1)
            .build()
            .decorate("primary", backend);

    assertThatThrownBy(() -> model.chat(REQUEST)).hasMessage("503");
    assertThatThrownBy(() -> model.chat(REQUEST)).hasMessage("503");
    assertThatThrownBy(() -> model.chat(REQUEST))
        .isInstanceOfSatisfying(
            CallRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(CallRejectedException.Reason.CIRCUIT_OPEN))
        .hasMessageContaining("circuit breaker 'primary-breaker' is OPEN");
    assertThat(backend.calls()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(31));
    assertThat(model.chat(REQUEST).text()).isEqualTo("back");
    assertThat(model.chat(REQUEST).text()).isEqualTo("back");
    assertThat(backend.calls()).isEqualTo(4);
  }

  @Test
  void badRequestsAndBadKeysNeverOpenTheBreaker() {
    for (int i = 0; i < 10; i++) {
      backend.thenFail(new NonRetryableException("400 bad request"));
    }
    backend.thenReply("fine");
    ChatModel model =
        policy()
            .maxAttempts(1)
            .circuitBreaker(4, 50, Duration.ofSeconds(30), 1)
            .build()
            .decorate("primary", backend);

    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> model.chat(REQUEST)).hasMessage("400 bad request");
    }
    assertThat(model.chat(REQUEST).text()).isEqualTo("fine");
  }

  @Test
  void anOpenBreakerIsNotRetried() {
    backend.thenFail(new RetryableException("503"));
    ChatModel model =
        policy()
            .maxAttempts(3)
            .circuitBreaker(2, 50, Duration.ofSeconds(30), 1)
            .build()
            .decorate("primary", backend);

    // Attempt 1 fails and, with a window of 2 judged after 1 call, opens the breaker; attempt 2 is
    // refused.
    assertThatThrownBy(() -> model.chat(REQUEST)).isInstanceOf(CallRejectedException.class);
    assertThat(backend.calls()).isEqualTo(1);
    assertThat(sleeper.waits()).hasSize(1);
  }

  @Test
  void rejectsARequestOverTheRateWhenNoWaitIsAllowed() {
    backend.thenReply("ok");
    ChatModel model =
        policy()
            .requestsPerPeriod(2, Duration.ofHours(1))
            .rateLimitWait(Duration.ZERO)
            .maxAttempts(1)
            .build()
            .decorate("primary", backend);

    model.chat(REQUEST);
    model.chat(REQUEST);
    assertThatThrownBy(() -> model.chat(REQUEST))
        .isInstanceOfSatisfying(
            CallRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(CallRejectedException.Reason.REQUEST_RATE))
        .hasMessageContaining("no room for 1 permit(s)");
    assertThat(backend.calls()).isEqualTo(2);
  }

  @Test
  void waitsForTheNextPeriodWhenTheWaitIsAllowed() {
    backend.thenReply("ok");
    ChatModel model =
        policy()
            .requestsPerPeriod(1, Duration.ofHours(1))
            .rateLimitWait(Duration.ofHours(2))
            .build()
            .decorate("primary", backend);

    model.chat(REQUEST);
    model.chat(REQUEST);
    assertThat(backend.calls()).isEqualTo(2);
    assertThat(sleeper.waits())
        .singleElement()
        .satisfies(wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofHours(1)));
  }

  @Test
  void rejectsARequestWhoseEstimatedTokensDoNotFitThePeriod() {
    backend.thenReply("ok");
    ChatModel model =
        policy()
            .tokensPerPeriod(100, Duration.ofHours(1))
            .tokenEstimator(request -> 60)
            .rateLimitWait(Duration.ZERO)
            .maxAttempts(1)
            .build()
            .decorate("primary", backend);

    model.chat(REQUEST);
    assertThatThrownBy(() -> model.chat(REQUEST))
        .isInstanceOfSatisfying(
            CallRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(CallRejectedException.Reason.TOKEN_RATE));
  }

  @Test
  void bulkheadRejectsACallOverTheConcurrencyLimit() {
    List<RuntimeException> inner = new ArrayList<>();
    ChatModel[] decorated = new ChatModel[1];
    backend.then(
        (request, stream, cancellation) -> {
          // A second call while the first holds the only slot.
          try {
            decorated[0].chat(REQUEST);
          } catch (RuntimeException e) {
            inner.add(e);
          }
          return FakeChatModel.response(
              "primary",
              "first",
              dev.colloquy.core.model.FinishReason.STOP,
              dev.colloquy.core.model.TokenUsage.ZERO);
        });
    decorated[0] =
        policy().maxConcurrentCalls(1).maxAttempts(1).build().decorate("primary", backend);

    assertThat(decorated[0].chat(REQUEST).text()).isEqualTo("first");
    assertThat(inner)
        .singleElement()
        .isInstanceOfSatisfying(
            CallRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(CallRejectedException.Reason.CONCURRENCY));
  }

  @Test
  void cancelsACallPastItsTimeLimitAndReportsARetryableTimeout() {
    backend.then(
        (request, stream, cancellation) -> {
          scheduler.advance(Duration.ofSeconds(121));
          cancellation.throwIfCancelled();
          return FakeChatModel.response(
              "primary",
              "too late",
              dev.colloquy.core.model.FinishReason.STOP,
              dev.colloquy.core.model.TokenUsage.ZERO);
        });
    ChatModel model = policy().maxAttempts(1).build().decorate("primary", backend);

    assertThatThrownBy(() -> model.chat(REQUEST))
        .isInstanceOfSatisfying(
            TimeLimitExceededException.class,
            e -> assertThat(e.limit()).isEqualTo(Duration.ofSeconds(120)))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("time limit of PT2M");
  }

  @Test
  void aCallWithinItsTimeLimitLeavesNoAlarmBehind() {
    backend.thenReply("quick");
    ChatModel model = policy().timeout(Duration.ofSeconds(5)).build().decorate("primary", backend);

    assertThat(model.chat(REQUEST).text()).isEqualTo("quick");
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void theCallersCancellationStaysACancellationNotATimeout() {
    Cancellation cancellation = Cancellation.create();
    backend.then(
        (request, stream, signal) -> {
          cancellation.cancel();
          signal.throwIfCancelled();
          return null;
        });
    ChatModel model = policy().build().decorate("primary", backend);

    assertThatThrownBy(() -> model.generate(REQUEST, StreamListener.NONE, cancellation))
        .isInstanceOf(dev.colloquy.core.CancelledException.class);
    assertThat(backend.calls()).isEqualTo(1);
  }

  @Test
  void builderRejectsARepeatedSettingNamingTheFirstValue() {
    ResiliencePolicy.Builder builder = ResiliencePolicy.builder().timeout(Duration.ofSeconds(30));

    assertThatThrownBy(() -> builder.timeout(Duration.ofSeconds(60)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("timeout was already set to PT30S");
    assertThatThrownBy(() -> ResiliencePolicy.builder().maxAttempts(0))
        .hasMessage("maxAttempts must be at least 1, was 0");
  }

  @Test
  void decoratesInTheDocumentedOrder() {
    ChatModel model =
        policy()
            .requestsPerPeriod(5, Duration.ofSeconds(1))
            .maxConcurrentCalls(2)
            .build()
            .decorate("primary", backend);

    assertThat(model)
        .hasToString("Retry(CircuitBreaker(RateLimiter(TimeLimit(Bulkhead(Fake(primary))))))");
  }
}
