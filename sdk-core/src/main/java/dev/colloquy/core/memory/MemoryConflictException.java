package dev.colloquy.core.memory;

import dev.colloquy.core.RetryableException;

/**
 * A save lost a compare-and-set: another writer (a thread, or another instance of the application)
 * saved the conversation after this one read it. Nothing was written; read again and retry.
 */
public class MemoryConflictException extends RetryableException {

  private static final long serialVersionUID = 1L;

  private final String conversationId;
  private final long expectedVersion;

  /**
   * @param conversationId the conversation
   * @param expectedVersion the version the losing writer had read
   */
  public MemoryConflictException(String conversationId, long expectedVersion) {
    super(
        "conversation '"
            + conversationId
            + "' was changed by another writer after version "
            + expectedVersion
            + " was read; nothing was saved");
    this.conversationId = conversationId;
    this.expectedVersion = expectedVersion;
  }

  /** Returns the conversation. */
  public String conversationId() {
    return conversationId;
  }

  /** Returns the version the losing writer had read. */
  public long expectedVersion() {
    return expectedVersion;
  }
}
