package dev.colloquy.core.memory;

import dev.colloquy.core.RetryableException;

/**
 * A store could not be reached or refused an operation (database down, connection lost, a
 * transaction rolled back). Nothing was written by the failed operation.
 */
public class MemoryStoreException extends RetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the store and the conversation
   * @param cause the driver's failure
   */
  public MemoryStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
