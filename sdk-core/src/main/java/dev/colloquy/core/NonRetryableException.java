package dev.colloquy.core;

import java.util.Objects;

/**
 * A failure that will happen again if the same call is repeated: a rejected request, bad
 * credentials, an unknown model, a cancelled call, invalid output.
 */
public non-sealed class NonRetryableException extends ColloquyException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed and where
   */
  public NonRetryableException(String message) {
    this(message, null);
  }

  /**
   * @param message what failed and where
   * @param cause the underlying failure, or {@code null} when there is none
   */
  public NonRetryableException(String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
  }
}
