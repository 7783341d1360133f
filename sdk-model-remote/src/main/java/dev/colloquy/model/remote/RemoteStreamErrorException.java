package dev.colloquy.model.remote;

import dev.colloquy.core.NonRetryableException;
import java.util.Objects;

/**
 * The server reported an error inside a response that had started with status 200 (a JSON
 * {@code error} object, or an {@code event: error}, in the event stream). Part of the reply may
 * already have been streamed, so it is not retried.
 */
public class RemoteStreamErrorException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  private final String errorText;
  private final String partialText;

  /**
   * @param message what failed and where
   * @param errorText the server's error text
   * @param partialText the reply text received before the error, possibly empty
   */
  public RemoteStreamErrorException(String message, String errorText, String partialText) {
    super(message);
    this.errorText = Objects.requireNonNull(errorText, "errorText");
    this.partialText = Objects.requireNonNull(partialText, "partialText");
  }

  /** Returns the server's own error text. */
  public String errorText() {
    return errorText;
  }

  /** Returns the reply text streamed before the error, possibly empty. */
  public String partialText() {
    return partialText;
  }
}
