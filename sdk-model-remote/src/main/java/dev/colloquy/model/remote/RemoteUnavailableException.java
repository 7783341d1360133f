package dev.colloquy.model.remote;

import dev.colloquy.core.RetryableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The server could not answer now: a 408, 409, 429 ({@link RemoteRateLimitException}) or 5xx
 * status, a refused or reset connection, or a connect, request or stream-idle timeout before any of
 * the reply arrived. Retried by {@link OpenAiChatModel} within its retry budget.
 *
 * <p>{@link #retryAfter()} is the wait the server asked for ({@code retry-after-ms} or {@code
 * Retry-After}); when that wait is over the model's {@code maxRetryWait} the call is not retried
 * and this exception tells the caller how long the server wanted. The message and every accessor
 * are redacted of the model's configured secrets.
 */
public class RemoteUnavailableException extends RetryableException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final RemoteErrorDetails details;

  /**
   * @param message what failed, where, and what to do
   * @param status the HTTP status code, or 0 when no response arrived
   * @param errorText the server's error text, possibly empty
   * @param cause the underlying I/O failure, or {@code null}
   * @param retryAfter the wait the server asked for, or {@code null} when it named none
   */
  public RemoteUnavailableException(
      String message, int status, String errorText, Throwable cause, Duration retryAfter) {
    this(
        message,
        status,
        RemoteErrorDetails.of(Objects.requireNonNull(errorText, "errorText")),
        cause,
        retryAfter);
  }

  /**
   * @param message what failed, where, and what to do
   * @param status the HTTP status code, or 0 when no response arrived
   * @param details what the server said: error text, type, code, param and request id
   * @param cause the underlying I/O failure, or {@code null}
   * @param retryAfter the wait the server asked for, or {@code null} when it named none
   */
  public RemoteUnavailableException(
      String message,
      int status,
      RemoteErrorDetails details,
      Throwable cause,
      Duration retryAfter) {
    super(message, cause, retryAfter);
    if (status < 0) {
      throw new IllegalArgumentException("status must not be negative: " + status);
    }
    this.status = status;
    this.details = Objects.requireNonNull(details, "details");
  }

  /** Returns the HTTP status code, or empty when the failure happened before a response arrived. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /** Returns the server's own error text, possibly empty. */
  public String errorText() {
    return details.text();
  }

  /** Returns the error's {@code type} (such as {@code server_error}), if the server sent one. */
  public Optional<String> errorType() {
    return RemoteRejectedException.present(details.type());
  }

  /**
   * Returns the error's {@code code} (such as {@code rate_limit_exceeded}), if the server sent one.
   */
  public Optional<String> errorCode() {
    return RemoteRejectedException.present(details.code());
  }

  /** Returns the request parameter the error is about, if the server named one. */
  public Optional<String> errorParam() {
    return RemoteRejectedException.present(details.param());
  }

  /**
   * Returns the response's {@code x-request-id}, to quote to the provider's support, if it had one.
   */
  public Optional<String> requestId() {
    return RemoteRejectedException.present(details.requestId());
  }

  /** Returns everything the server said about the failure. */
  public RemoteErrorDetails details() {
    return details;
  }
}
