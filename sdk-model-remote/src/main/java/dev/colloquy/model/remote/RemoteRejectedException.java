package dev.colloquy.model.remote;

import dev.colloquy.core.NonRetryableException;
import java.util.Objects;
import java.util.Optional;

/**
 * The server refused the request with a status that will not change if the request is repeated
 * (400, 401, 403, 404, 422 and the other 4xx codes except 408 and 409, and a 429 that says the
 * quota is used up). It is never retried. Two cases have their own type: {@link
 * RemoteContextLengthException} (the prompt does not fit) and {@link RemoteQuotaExceededException}
 * (the account is out of credit).
 *
 * <p>The message names the URL, the status, the server's own error text and what to check; it and
 * every accessor are redacted of the model's configured secrets.
 */
public class RemoteRejectedException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final RemoteErrorDetails details;

  /**
   * @param message what failed, where, and what to do
   * @param status the HTTP status code
   * @param errorText the server's error text, possibly empty
   */
  public RemoteRejectedException(String message, int status, String errorText) {
    this(message, status, RemoteErrorDetails.of(Objects.requireNonNull(errorText, "errorText")));
  }

  /**
   * @param message what failed, where, and what to do
   * @param status the HTTP status code
   * @param details what the server said: error text, type, code, param and request id
   */
  public RemoteRejectedException(String message, int status, RemoteErrorDetails details) {
    super(message);
    this.status = status;
    this.details = Objects.requireNonNull(details, "details");
  }

  /** Returns the HTTP status code of the response. */
  public int status() {
    return status;
  }

  /**
   * Returns the server's own error text (its {@code error.message}, or the raw body), possibly
   * empty.
   */
  public String errorText() {
    return details.text();
  }

  /**
   * Returns the error's {@code type} (such as {@code invalid_request_error}), if the server sent
   * one.
   */
  public Optional<String> errorType() {
    return present(details.type());
  }

  /**
   * Returns the error's {@code code} (such as {@code context_length_exceeded}), if the server sent
   * one.
   */
  public Optional<String> errorCode() {
    return present(details.code());
  }

  /** Returns the request parameter the error is about, if the server named one. */
  public Optional<String> errorParam() {
    return present(details.param());
  }

  /**
   * Returns the response's {@code x-request-id}, to quote to the provider's support, if it had one.
   */
  public Optional<String> requestId() {
    return present(details.requestId());
  }

  /** Returns everything the server said about the failure. */
  public RemoteErrorDetails details() {
    return details;
  }

  static Optional<String> present(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
