package dev.colloquy.core;

/** Thrown when a call stops because its {@link Cancellation} was cancelled. */
public class CancelledException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was cancelled
   */
  public CancelledException(String message) {
    super(message);
  }
}
