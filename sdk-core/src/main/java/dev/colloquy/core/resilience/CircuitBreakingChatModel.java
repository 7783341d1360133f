package dev.colloquy.core.resilience;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.Optional;

/**
 * A Resilience4j {@link CircuitBreaker} around a model. Only {@link RetryableException}s count as
 * failures (the server or the network misbehaving); a {@link NonRetryableException} (a 400, a bad
 * key, a cancelled call) is the caller's problem and is ignored, as are calls refused by the
 * limiters inside. Open-state timing runs on the policy's clock.
 */
final class CircuitBreakingChatModel implements ChatModel {

  private final ChatModel delegate;
  private final CircuitBreaker breaker;

  CircuitBreakingChatModel(String name, ChatModel delegate, ResiliencePolicy policy) {
    this.delegate = delegate;
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(policy.breakerWindow())
            .minimumNumberOfCalls(policy.breakerMinimumCalls())
            .failureRateThreshold(policy.breakerFailureRatePercent())
            .waitDurationInOpenState(policy.breakerOpenFor())
            .permittedNumberOfCallsInHalfOpenState(policy.breakerHalfOpenCalls())
            .recordException(CircuitBreakingChatModel::isFailure)
            .ignoreException(e -> !isFailure(e))
            .clock(policy.clock())
            .build();
    this.breaker = CircuitBreaker.of(name + "-breaker", config);
  }

  static boolean isFailure(Throwable e) {
    return e instanceof RetryableException && !(e instanceof CallRejectedException);
  }

  CircuitBreaker.State state() {
    return breaker.getState();
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
    if (!breaker.tryAcquirePermission()) {
      throw new CallRejectedException(
          CallRejectedException.Reason.CIRCUIT_OPEN,
          "circuit breaker '"
              + breaker.getName()
              + "' is "
              + breaker.getState()
              + " after too many failures; no request was sent. It lets a trial call through after "
              + breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1)
              + " ms; configure a fallback model to answer meanwhile",
          null);
    }
    long start = breaker.getCurrentTimestamp();
    try {
      ChatResponse response = delegate.generate(request, stream, cancellation);
      breaker.onResult(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), response);
      return response;
    } catch (RuntimeException | Error e) {
      breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "CircuitBreaker(" + delegate + ")";
  }
}
