package dev.colloquy.core.memory;

import dev.colloquy.core.RetryableException;

/**
 * A store could not be reached or refused an operation (database down, connection lost, a
 * transaction rolled back). A refused or rolled-back save wrote nothing; but when the connection
 * failed after the request was sent (a timeout, a dropped socket), the store may have applied it,
 * as with any remote write: the exception's message says which case it was where the store knows.
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
