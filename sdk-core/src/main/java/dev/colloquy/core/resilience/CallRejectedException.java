package dev.colloquy.core.resilience;

import dev.colloquy.core.RetryableException;
import java.time.Duration;
import java.util.Objects;

/**
 * A call that a resilience decorator refused to send to the model: the circuit breaker is open, a
 * rate limit would have to wait too long, or too many calls are running. No request left the
 * process. Retryable later, but the retry decorator does not retry an open circuit: waiting out the
 * breaker is the fallback's job.
 */
public class CallRejectedException extends RetryableException {

  private static final long serialVersionUID = 1L;

  /** Why a call was refused. */
  public enum Reason {
    /** The circuit breaker is open after too many failures. */
    CIRCUIT_OPEN,
    /** The requests-per-period limit is used up. */
    REQUEST_RATE,
    /** The tokens-per-period limit is used up. */
    TOKEN_RATE,
    /** The bulkhead's concurrent calls are all taken. */
    CONCURRENCY
  }

  private final Reason reason;

  /**
   * @param reason why the call was refused
   * @param message what was refused, where, and what to do
   * @param retryAfter when trying again may succeed, or {@code null} when unknown
   */
  public CallRejectedException(Reason reason, String message, Duration retryAfter) {
    super(message, null, retryAfter);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Returns why the call was refused. */
  public Reason reason() {
    return reason;
  }
}
