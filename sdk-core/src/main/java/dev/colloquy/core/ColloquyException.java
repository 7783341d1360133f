package dev.colloquy.core;

/**
 * The root of every exception Colloquy throws while running a conversation.
 *
 * <p>It has exactly two families: {@link RetryableException} for failures that may succeed when
 * tried again (a rate limit, a dropped connection, a busy server) and {@link NonRetryableException}
 * for failures that will not (a rejected request, a bad key, a cancelled call). A retry policy is
 * therefore one {@code instanceof} check.
 *
 * <p>Misuse of the API itself (a null argument, a negative size) is reported with the JDK's {@link
 * NullPointerException} and {@link IllegalArgumentException}, like any Java library.
 */
public abstract sealed class ColloquyException extends RuntimeException
    permits RetryableException, NonRetryableException {

  private static final long serialVersionUID = 1L;

  ColloquyException(String message, Throwable cause) {
    super(message, cause);
  }
}
