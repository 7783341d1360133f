package dev.colloquy.core.memory;

import dev.colloquy.core.message.Message;
import java.util.List;
import java.util.Objects;

/**
 * A compare-and-set of one conversation: its new messages and turn records, applied only if the
 * store still holds the version the writer read.
 *
 * @param conversationId the conversation; not blank
 * @param expectedVersion the version the writer read: 0 for a conversation it found absent
 * @param tenant the conversation's tenant; kept from the first save on, later values are ignored
 * @param messages all the conversation's messages after the update, oldest first
 * @param turns all the turn records to keep after the update, oldest first
 */
public record ConversationUpdate(
    String conversationId,
    long expectedVersion,
    String tenant,
    List<Message> messages,
    List<TurnRecord> turns) {

  /** Validates the fields and copies the lists. */
  public ConversationUpdate {
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(tenant, "tenant");
    messages = List.copyOf(messages);
    turns = List.copyOf(turns);
    if (conversationId.isBlank()) {
      throw new IllegalArgumentException("conversationId must not be blank");
    }
    if (tenant.isBlank()) {
      throw new IllegalArgumentException("tenant must not be blank");
    }
    if (expectedVersion < 0) {
      throw new IllegalArgumentException(
          "expectedVersion must not be negative, was " + expectedVersion);
    }
  }
}
