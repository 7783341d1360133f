package dev.colloquy.bench.memory;

import dev.colloquy.core.memory.ConversationInfo;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.memory.StoredConversation;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Passes loads and saves to a store and adds up the time they take, across threads. */
final class TimedStore implements MemoryStore {

  private final MemoryStore store;
  final LongAdder nanos = new LongAdder();

  TimedStore(MemoryStore store) {
    this.store = store;
  }

  @Override
  public StoredConversation load(String conversationId) {
    long start = System.nanoTime();
    try {
      return store.load(conversationId);
    } finally {
      nanos.add(System.nanoTime() - start);
    }
  }

  @Override
  public long save(ConversationUpdate update) {
    long start = System.nanoTime();
    try {
      return store.save(update);
    } finally {
      nanos.add(System.nanoTime() - start);
    }
  }

  @Override
  public boolean delete(String conversationId) {
    return store.delete(conversationId);
  }

  @Override
  public List<ConversationInfo> list(String tenant) {
    return store.list(tenant);
  }

  @Override
  public int deleteTenant(String tenant) {
    return store.deleteTenant(tenant);
  }

  @Override
  public int deleteIdleSince(Instant cutoff) {
    return store.deleteIdleSince(cutoff);
  }
}
