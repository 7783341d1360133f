package dev.colloquy.core.memory;

import dev.colloquy.core.message.Message;
import java.util.List;

/**
 * Where conversations are kept: the SPI behind {@link ChatMemory}. The in-process default is {@link
 * InMemoryStore}; a store on a shared database lets several application instances serve the same
 * conversations.
 *
 * <p>Implementations must make {@link #save} atomic: a reader sees the old list or the new one,
 * never a mix, and a failed save leaves the old one. They must be thread-safe. They need not lock a
 * conversation across calls: {@link ChatMemory} serialises the turns of one conversation.
 */
public interface MemoryStore {

  /**
   * Returns the messages of a conversation, oldest first; an empty list for an unknown id.
   *
   * @param conversationId the conversation
   */
  List<Message> load(String conversationId);

  /**
   * Replaces the messages of a conversation, atomically.
   *
   * @param conversationId the conversation
   * @param messages the new messages, oldest first
   */
  void save(String conversationId, List<Message> messages);

  /**
   * Forgets a conversation; does nothing for an unknown id.
   *
   * @param conversationId the conversation
   */
  void delete(String conversationId);
}
