package dev.colloquy.core.memory;

import java.time.Instant;
import java.util.List;

/**
 * Where conversations are kept: the SPI behind {@link ChatMemory}. The in-process default is {@link
 * InMemoryStore}; the JDBC and Redis stores ({@code colloquy-memory-jdbc}, {@code
 * colloquy-memory-redis}) survive restarts and serve several application instances.
 *
 * <p>The contract, checked for every store by the test kit's {@code MemoryStoreContract}:
 *
 * <ul>
 *   <li>Every conversation has a version; {@link #save} is a compare-and-set on it. Of two writers
 *       that read the same version, one saves and the other gets a {@link MemoryConflictException},
 *       whatever JVM they run in.
 *   <li>A save is atomic and durable once it returns: a reader sees all of it or none of it, and a
 *       failed or interrupted save leaves the previous version whole.
 *   <li>Messages and turn records come back exactly as saved.
 *   <li>A conversation that cannot be read back is a {@link CorruptConversationException} naming
 *       it, and does not affect any other conversation.
 *   <li>Thread-safe.
 * </ul>
 */
public interface MemoryStore {

  /**
   * Returns a conversation; {@link StoredConversation#absent} for an unknown id.
   *
   * @param conversationId the conversation
   * @throws CorruptConversationException when the stored conversation cannot be read back
   * @throws MemoryStoreException when the store cannot be reached
   */
  StoredConversation load(String conversationId);

  /**
   * Replaces a conversation's messages and turn records if it is still at the expected version.
   *
   * @param update the new state and the version it was computed from
   * @return the new version, {@code update.expectedVersion() + 1}
   * @throws MemoryConflictException when the conversation is no longer at the expected version
   * @throws MemoryStoreException when the store cannot be reached
   */
  long save(ConversationUpdate update);

  /**
   * Forgets a conversation.
   *
   * @param conversationId the conversation
   * @return whether the store held it
   */
  boolean delete(String conversationId);

  /**
   * Lists a tenant's conversations, most recently updated first.
   *
   * @param tenant the tenant (or user)
   */
  List<ConversationInfo> list(String tenant);

  /**
   * Forgets every conversation of a tenant (or user): the "forget me" of data-protection law.
   *
   * @param tenant the tenant (or user)
   * @return how many conversations were deleted
   */
  int deleteTenant(String tenant);

  /**
   * Forgets every conversation last saved before a moment: the retention sweep. Stores with their
   * own expiry (Redis) also forget idle conversations by themselves.
   *
   * @param cutoff conversations saved before this are deleted
   * @return how many conversations were deleted
   */
  int deleteIdleSince(Instant cutoff);
}
