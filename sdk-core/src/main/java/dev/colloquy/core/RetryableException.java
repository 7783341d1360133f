package dev.colloquy.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure that may succeed when the same call is made again: rate limits, overloaded servers,
 * timeouts, dropped connections, truncated streams.
 */
public non-sealed class RetryableException extends ColloquyException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * @param message what failed and where
   */
  public RetryableException(String message) {
    this(message, null, null);
  }

  /**
   * @param message what failed and where
   * @param cause the underlying failure, or {@code null} when there is none
   */
  public RetryableException(String message, Throwable cause) {
    this(message, cause, null);
  }

  /**
   * @param message what failed and where
   * @param cause the underlying failure, or {@code null} when there is none
   * @param retryAfter how long the server asked the caller to wait, or {@code null} when it did not
   *     say
   */
  public RetryableException(String message, Throwable cause, Duration retryAfter) {
    super(Objects.requireNonNull(message, "message"), cause);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
    }
    this.retryAfter = retryAfter;
  }

  /** Returns the wait the server asked for before the next attempt, if it named one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
