package dev.colloquy.model.remote;

import dev.colloquy.core.NonRetryableException;
import java.util.Objects;

/**
 * The server refused the request with a status that will not change if the request is repeated
 * (400, 401, 403, 404, 422 and the other 4xx codes except 408, 409 and 429). It is never retried.
 *
 * <p>The message names the URL, the status, the server's own error text and what to check; it
 * never contains the API key.
 */
public class RemoteRejectedException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorText;

  /**
   * @param message what failed, where, and what to do
   * @param status the HTTP status code
   * @param errorText the server's error text, possibly empty
   */
  public RemoteRejectedException(String message, int status, String errorText) {
    super(message);
    this.status = status;
    this.errorText = Objects.requireNonNull(errorText, "errorText");
  }

  /** Returns the HTTP status code of the response. */
  public int status() {
    return status;
  }

  /** Returns the server's own error text (its {@code error.message}, or the raw body), possibly empty. */
  public String errorText() {
    return errorText;
  }
}
