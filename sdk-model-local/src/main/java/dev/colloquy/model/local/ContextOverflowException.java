package dev.colloquy.model.local;

import dev.colloquy.core.NonRetryableException;

/** A prompt does not fit the model's context window. */
public class ContextOverflowException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message how long the prompt is, the window, and what to do
   */
  public ContextOverflowException(String message) {
    super(message);
  }
}
