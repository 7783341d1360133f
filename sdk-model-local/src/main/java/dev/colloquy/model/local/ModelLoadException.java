package dev.colloquy.model.local;

import dev.colloquy.core.NonRetryableException;

/**
 * A local checkpoint could not be loaded: a file is missing, malformed, of an unsupported format,
 * or does not fit its configuration. The message names the file (and the tensor, where one is at
 * fault) and says what to do.
 */
public class ModelLoadException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, where, and what to do
   */
  public ModelLoadException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, where, and what to do
   * @param cause the underlying failure
   */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
