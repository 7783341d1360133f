package dev.colloquy.model.remote;

import dev.colloquy.core.NonRetryableException;
import java.util.Objects;
import java.util.Optional;

/**
 * The server reported an error inside a response that had started with status 200 (a JSON {@code
 * error} object, or an {@code event: error}, in the event stream, or an error body). Part of the
 * reply may already have been streamed, so it is not retried. The message and every accessor are
 * redacted of the model's configured secrets.
 */
public class RemoteStreamErrorException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  private final RemoteErrorDetails details;
  private final String partialText;

  /**
   * @param message what failed and where
   * @param errorText the server's error text
   * @param partialText the reply text received before the error, possibly empty
   */
  public RemoteStreamErrorException(String message, String errorText, String partialText) {
    this(
        message,
        RemoteErrorDetails.of(Objects.requireNonNull(errorText, "errorText")),
        partialText);
  }

  /**
   * @param message what failed and where
   * @param details what the server said: error text, type, code, param and request id
   * @param partialText the reply text received before the error, possibly empty
   */
  public RemoteStreamErrorException(
      String message, RemoteErrorDetails details, String partialText) {
    super(message);
    this.details = Objects.requireNonNull(details, "details");
    this.partialText = Objects.requireNonNull(partialText, "partialText");
  }

  /** Returns the server's own error text. */
  public String errorText() {
    return details.text();
  }

  /** Returns the error's {@code type}, if the server sent one. */
  public Optional<String> errorType() {
    return RemoteRejectedException.present(details.type());
  }

  /** Returns the error's {@code code}, if the server sent one. */
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

  /** Returns the reply text streamed before the error, possibly empty. */
  public String partialText() {
    return partialText;
  }
}
