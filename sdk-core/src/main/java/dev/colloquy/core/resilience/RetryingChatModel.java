package dev.colloquy.core.resilience;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.internal.trace.GenAi;
import dev.colloquy.core.internal.trace.SpanKind;
import dev.colloquy.core.internal.trace.TraceSpan;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.core.observe.ChatEvent;
import dev.colloquy.core.observe.ChatListener;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Retries {@link RetryableException}s on a Resilience4j {@link Retry}, which decides whether and
 * how long to wait; the waiting itself is done by the injected {@link Sleeper} so that it can be
 * cancelled and faked. Never retried: non-retryable failures, an open circuit, a stream that has
 * already delivered something, a server-requested wait over the cap, a cancelled call.
 */
final class RetryingChatModel implements ChatModel {

  private final String name;
  private final ChatModel delegate;
  private final Retry retry;
  private final Sleeper sleeper;
  private final ChatListener listener;

  RetryingChatModel(String name, ChatModel delegate, ResiliencePolicy policy) {
    this.name = name;
    this.delegate = delegate;
    this.sleeper = policy.sleeper();
    this.listener = policy.listener();
    Duration initial = policy.initialBackoff();
    Duration max = policy.maxBackoff();
    Duration maxRetryAfter = policy.maxRetryAfter();
    DoubleSupplier random = policy.random();
    IntervalBiFunction<ChatResponse> interval =
        (attempt, outcome) -> {
          Throwable failure = outcome.isLeft() ? outcome.getLeft() : null;
          if (failure instanceof RetryableException retryable
              && retryable.retryAfter().isPresent()) {
            return retryable.retryAfter().get().toMillis();
          }
          return backoff(initial, max, attempt, random.getAsDouble()).toMillis();
        };
    RetryConfig config =
        RetryConfig.<ChatResponse>custom()
            .maxAttempts(policy.maxAttempts())
            .retryOnException(
                e ->
                    e instanceof RetryableException retryable
                        && !(e instanceof CallRejectedException rejected
                            && rejected.reason() == CallRejectedException.Reason.CIRCUIT_OPEN)
                        && retryable
                            .retryAfter()
                            .map(wait -> wait.compareTo(maxRetryAfter) <= 0)
                            .orElse(true))
            .intervalBiFunction(interval)
            .failAfterMaxAttempts(false)
            .build();
    this.retry = Retry.of(name + "-retry", config);
  }

  /**
   * Exponential backoff doubling from {@code initial} to {@code max}, times a jitter in [0.75, 1].
   */
  static Duration backoff(Duration initial, Duration max, int attempt, double random) {
    long base = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
    return Duration.ofMillis((long) (Math.min(base, max.toMillis()) * (0.75 + 0.25 * random)));
  }

  @Override
  public ModelCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public Optional<SecretRedactor> secretRedactor() {
    return delegate.secretRedactor();
  }

  @Override
  public Optional<TokenCounter> tokenCounter() {
    return delegate.tokenCounter();
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener stream, Cancellation cancellation) {
    Retry.AsyncContext<ChatResponse> context = retry.asyncContext();
    // Inside a traced model call, each attempt gets a span of its own under it.
    TraceSpan call = TraceSpan.currentModelCall();
    if (call != null) {
      call.requestModel(null, name);
    }
    for (int attempt = 1; ; attempt++) {
      StreamTracker tracker = new StreamTracker(stream);
      TraceSpan span = call == null ? null : startAttempt(call, attempt);
      TraceSpan.Scope scope = span == null ? null : span.makeCurrent();
      try {
        ChatResponse response = delegate.generate(request, tracker, cancellation);
        context.onComplete();
        return response;
      } catch (RuntimeException e) {
        if (span != null) {
          span.fail(e);
        }
        if (tracker.started() || cancellation.isCancelled()) {
          throw e;
        }
        long waitMillis = context.onError(e);
        if (waitMillis < 0) {
          throw e;
        }
        Duration wait = Duration.ofMillis(waitMillis);
        listener.onEvent(new ChatEvent.RetryScheduled(name, attempt, wait, e));
        closeAndEnd(scope, span);
        sleeper.sleep(wait, cancellation);
      } finally {
        closeAndEnd(scope, span);
      }
    }
  }

  private TraceSpan startAttempt(TraceSpan call, int attempt) {
    TraceSpan span =
        call.child(SpanKind.ATTEMPT, GenAi.OBSERVE_ATTEMPT, "attempt " + name, Map.of());
    span.tag(GenAi.ATTEMPT, Integer.toString(attempt));
    span.requestModel(null, name);
    return span;
  }

  // The attempt's span ends before the backoff wait, which belongs to the call, not the attempt.
  private static void closeAndEnd(TraceSpan.Scope scope, TraceSpan span) {
    if (span != null) {
      scope.close();
      span.end();
    }
  }

  @Override
  public String toString() {
    return "Retry(" + delegate + ")";
  }
}
