package dev.colloquy.core.memory;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a tenant's list of conversations.
 *
 * @param id the conversation's id
 * @param tenant its tenant
 * @param version its version
 * @param messageCount how many messages it holds
 * @param updatedAt when it was last saved
 */
public record ConversationInfo(
    String id, String tenant, long version, int messageCount, Instant updatedAt) {

  /** Validates the fields. */
  public ConversationInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
