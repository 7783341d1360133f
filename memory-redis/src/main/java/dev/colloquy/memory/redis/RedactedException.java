package dev.colloquy.memory.redis;

/**
 * Stands in for a driver's exception whose message held a secret of the Redis URI: the original's
 * class name and message with the secret replaced, and its stack trace.
 */
final class RedactedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  RedactedException(String originalWithoutSecrets, Throwable cause) {
    super(originalWithoutSecrets, cause);
  }

  @Override
  public String toString() {
    return getMessage();
  }
}
