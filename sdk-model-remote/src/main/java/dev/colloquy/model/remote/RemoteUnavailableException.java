package dev.colloquy.model.remote;

import dev.colloquy.core.RetryableException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The server could not answer now: a 408, 409, 429 or 5xx status, a refused or reset
 * connection, or a connect, request or stream-idle timeout. Retried by {@link OpenAiChatModel}
 * within its retry budget, unless the reply had already started to stream.
 *
 * <p>{@link #retryAfter()} is the wait the server asked for ({@code retry-after-ms} or
 * {@code Retry-After}); when that wait is over the model's {@code maxRetryWait} the call is not
 * retried and this exception tells the caller how long the server wanted.
 */
public class RemoteUnavailableException extends RetryableException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorText;

  /**
   * @param message what failed, where, and what to do
   * @param status the HTTP status code, or 0 when no response arrived
   * @param errorText the server's error text, possibly empty
   * @param cause the underlying I/O failure, or {@code null}
   * @param retryAfter the wait the server asked for, or {@code null} when it named none
   */
  public RemoteUnavailableException(
      String message, int status, String errorText, Throwable cause, Duration retryAfter) {
    super(message, cause, retryAfter);
    if (status < 0) {
      throw new IllegalArgumentException("status must not be negative: " + status);
    }
    this.status = status;
    this.errorText = Objects.requireNonNull(errorText, "errorText");
  }

  /** Returns the HTTP status code, or empty when the failure happened before a response arrived. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /** Returns the server's own error text, possibly empty. */
  public String errorText() {
    return errorText;
  }
}
