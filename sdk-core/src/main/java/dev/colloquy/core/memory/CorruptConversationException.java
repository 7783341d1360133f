package dev.colloquy.core.memory;

import dev.colloquy.core.NonRetryableException;

/**
 * A stored conversation cannot be read back: a row holds an unknown message kind or broken JSON.
 * Only this conversation is affected; the store goes on serving the others.
 */
public class CorruptConversationException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  private final String conversationId;

  /**
   * @param conversationId the conversation
   * @param message what is wrong and where (row, field)
   * @param cause the parser's failure, or {@code null}
   */
  public CorruptConversationException(String conversationId, String message, Throwable cause) {
    super("conversation '" + conversationId + "' cannot be read: " + message, cause);
    this.conversationId = conversationId;
  }

  /** Returns the conversation. */
  public String conversationId() {
    return conversationId;
  }
}
