package dev.colloquy.core.memory;

import dev.colloquy.core.message.Message;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A conversation as a {@link MemoryStore} holds it, at one version.
 *
 * @param id the conversation's id
 * @param tenant the tenant (or user) the conversation belongs to: the tenant of its first turn
 * @param version 0 for a conversation the store does not hold; then 1 after the first save, 2 after
 *     the second, and so on
 * @param messages the messages, oldest first
 * @param turns the records of the most recent turns, oldest first: at least those that still have a
 *     message in {@code messages}
 * @param updatedAt when it was last saved; {@link Instant#EPOCH} for a conversation the store does
 *     not hold
 */
public record StoredConversation(
    String id,
    String tenant,
    long version,
    List<Message> messages,
    List<TurnRecord> turns,
    Instant updatedAt) {

  /** Validates the fields and copies the lists. */
  public StoredConversation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    messages = List.copyOf(messages);
    turns = List.copyOf(turns);
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative, was " + version);
    }
  }

  /**
   * Returns the conversation a store does not hold: version 0, no messages.
   *
   * @param id the conversation's id
   */
  public static StoredConversation absent(String id) {
    return new StoredConversation(
        id, TurnRecord.DEFAULT_TENANT, 0, List.of(), List.of(), Instant.EPOCH);
  }

  /** Returns whether the store holds this conversation. */
  public boolean exists() {
    return version > 0;
  }
}
