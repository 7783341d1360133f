package dev.colloquy.core;

import java.util.Objects;

/**
 * A response that ended before the backend said it was complete (a stream cut without its end
 * marker or finish reason). The text received so far is kept for the caller; an agent never commits
 * such a turn to memory.
 */
public class TruncatedResponseException extends RetryableException {

  private static final long serialVersionUID = 1L;

  private final String partialText;

  /**
   * @param message what was cut and where
   * @param partialText the text received before the cut, possibly empty
   */
  public TruncatedResponseException(String message, String partialText) {
    super(message);
    this.partialText = Objects.requireNonNull(partialText, "partialText");
  }

  /** Returns the text delivered before the response was cut, possibly empty. */
  public String partialText() {
    return partialText;
  }
}
