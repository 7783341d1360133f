package dev.colloquy.model.remote.internal.http;

import dev.colloquy.core.RetryableException;
import dev.colloquy.core.model.ChatResponse;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The retry policy, as a Resilience4j {@link Retry}: {@code maxRetries + 1} attempts; only {@link
 * RetryableException}s are retried, and not those whose requested wait is over the cap; the wait is
 * the server's {@code Retry-After} when it gave one, else exponential backoff from 0.5 s doubling
 * to an 8 s cap, times a jitter factor in [0.75, 1]. The caller does the waiting (so it can be
 * cancelled and faked in tests) and decides that a started stream is never retried. Thread-safe:
 * each call takes its own context.
 */
public final class RetryPolicy {

  static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

  private final Retry retry;
  private final DoubleSupplier random;

  /**
   * @param maxRetries retries after the first attempt; 0 means exactly one attempt
   * @param maxRetryWait the longest server-requested wait that is honoured
   * @param random uniform values in [0, 1) for the jitter
   */
  public RetryPolicy(int maxRetries, Duration maxRetryWait, DoubleSupplier random) {
    this.random = random;
    IntervalBiFunction<ChatResponse> interval =
        (attempt, outcome) -> {
          Throwable failure = outcome.isLeft() ? outcome.getLeft() : null;
          if (failure instanceof RetryableException retryable
              && retryable.retryAfter().isPresent()) {
            return retryable.retryAfter().get().toMillis();
          }
          return backoff(attempt, this.random.getAsDouble()).toMillis();
        };
    RetryConfig config =
        RetryConfig.<ChatResponse>custom()
            .maxAttempts(maxRetries + 1)
            .retryOnException(
                e ->
                    e instanceof RetryableException retryable
                        && retryable
                            .retryAfter()
                            .map(wait -> wait.compareTo(maxRetryWait) <= 0)
                            .orElse(true))
            .intervalBiFunction(interval)
            .failAfterMaxAttempts(false)
            .build();
    this.retry = Retry.of("colloquy-remote", config);
  }

  /**
   * Returns the backoff before retry number {@code retry} (1 for the first retry).
   *
   * @param retry the retry number, from 1
   * @param random a uniform value in [0, 1) choosing the jitter factor
   */
  public static Duration backoff(int retry, double random) {
    long base = INITIAL_BACKOFF.toMillis() << Math.min(Math.max(retry - 1, 0), 16);
    double factor = 0.75 + 0.25 * random;
    return Duration.ofMillis((long) (Math.min(base, MAX_BACKOFF.toMillis()) * factor));
  }

  /** Starts the retry bookkeeping of one call. */
  public Retry.AsyncContext<ChatResponse> start() {
    return retry.asyncContext();
  }
}
