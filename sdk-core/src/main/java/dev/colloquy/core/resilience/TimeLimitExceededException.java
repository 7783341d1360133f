package dev.colloquy.core.resilience;

import dev.colloquy.core.RetryableException;
import java.time.Duration;
import java.util.Objects;

/** A model call that ran past its time limit and was cancelled. Retryable. */
public class TimeLimitExceededException extends RetryableException {

  private static final long serialVersionUID = 1L;

  private final Duration limit;

  /**
   * @param message what timed out and what to do
   * @param limit the limit that was exceeded
   * @param cause the cancellation the time limit caused, or {@code null}
   */
  public TimeLimitExceededException(String message, Duration limit, Throwable cause) {
    super(message, cause);
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  /** Returns the time limit that was exceeded. */
  public Duration limit() {
    return limit;
  }
}
