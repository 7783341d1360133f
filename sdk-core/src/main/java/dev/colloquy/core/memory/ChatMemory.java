package dev.colloquy.core.memory;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolResultMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Conversation memory: a {@link MemoryStore} plus the window policy that bounds each conversation,
 * plus the per-conversation lock that keeps turns from interleaving.
 *
 * <p>Window policy: a conversation keeps at most {@code maxMessages} messages. When a commit goes
 * over, the oldest messages go first, except system messages, which stay. The cut never leaves a
 * tool result without the call it answers, nor a tool call without its results: a cut that would
 * land inside such a group moves past the group.
 *
 * <p>Turns are committed whole with {@link #commit}; nothing is written while a turn runs, so a
 * failed turn leaves the conversation as it was.
 *
 * <p>Thread-safe. The lock is per JVM: with a shared store, run one conversation's turns on one
 * instance (sticky routing), or give the store its own locking.
 */
public final class ChatMemory {

  // How often a cancellable wait for a conversation's lock looks at its cancellation.
  private static final long LOCK_POLL_MILLIS = 10;

  private final MemoryStore store;
  private final int maxMessages;
  // Weak values: a lock lives while some thread holds a reference to it, then is collected.
  private final LoadingCache<String, ReentrantLock> locks =
      Caffeine.newBuilder().weakValues().build(id -> new ReentrantLock());

  private ChatMemory(MemoryStore store, int maxMessages) {
    this.store = store;
    this.maxMessages = maxMessages;
  }

  /**
   * Returns a memory keeping the last {@code maxMessages} messages of each conversation in an
   * {@link InMemoryStore} with its default bounds.
   *
   * @param maxMessages the window size, at least 2
   */
  public static ChatMemory window(int maxMessages) {
    return window(maxMessages, InMemoryStore.create());
  }

  /**
   * Returns a memory keeping the last {@code maxMessages} messages of each conversation in the
   * given store.
   *
   * @param maxMessages the window size, at least 2
   * @param store where conversations are kept
   */
  public static ChatMemory window(int maxMessages, MemoryStore store) {
    if (maxMessages < 2) {
      throw new IllegalArgumentException(
          "maxMessages must be at least 2 (a question and its answer), was " + maxMessages);
    }
    return new ChatMemory(Objects.requireNonNull(store, "store"), maxMessages);
  }

  /** Returns the window size. */
  public int maxMessages() {
    return maxMessages;
  }

  /** Returns the store. */
  public MemoryStore store() {
    return store;
  }

  /**
   * Returns the messages of a conversation, oldest first.
   *
   * @param conversationId the conversation; not blank
   */
  public List<Message> messages(String conversationId) {
    return store.load(checkId(conversationId));
  }

  /**
   * Appends a completed turn to a conversation and applies the window, atomically.
   *
   * @param conversationId the conversation; not blank
   * @param turn the turn's messages, oldest first
   */
  public void commit(String conversationId, List<Message> turn) {
    checkId(conversationId);
    List<Message> copy = List.copyOf(turn);
    withLock(
        conversationId,
        () -> {
          List<Message> all = new ArrayList<>(store.load(conversationId));
          all.addAll(copy);
          store.save(conversationId, applyWindow(all));
          return null;
        });
  }

  /**
   * Keeps only the last {@code keepLastMessages} messages of a conversation (and its system
   * messages), with the same rule as the window: no tool result without its call.
   *
   * @param conversationId the conversation; not blank
   * @param keepLastMessages how many messages to keep, at least 0
   */
  public void trim(String conversationId, int keepLastMessages) {
    checkId(conversationId);
    if (keepLastMessages < 0) {
      throw new IllegalArgumentException(
          "keepLastMessages must not be negative, was " + keepLastMessages);
    }
    withLock(
        conversationId,
        () -> {
          store.save(
              conversationId, cut(new ArrayList<>(store.load(conversationId)), keepLastMessages));
          return null;
        });
  }

  /**
   * Forgets a conversation.
   *
   * @param conversationId the conversation; not blank
   */
  public void clear(String conversationId) {
    checkId(conversationId);
    withLock(
        conversationId,
        () -> {
          store.delete(conversationId);
          return null;
        });
  }

  /**
   * Runs an action while holding the conversation's lock, so that no other turn of the same
   * conversation runs at the same time. Reentrant.
   *
   * @param conversationId the conversation; not blank
   * @param action what to run
   * @return what the action returned
   */
  public <T> T withLock(String conversationId, Supplier<T> action) {
    ReentrantLock lock = locks.get(checkId(conversationId));
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs an action while holding the conversation's lock, as {@link #withLock(String, Supplier)}
   * does, but waits for the lock only while the cancellation allows: cancelled before or while
   * waiting, it gives up within about 10 ms and runs nothing. Reentrant.
   *
   * @param conversationId the conversation; not blank
   * @param cancellation ends the wait when cancelled (a caller's cancel, a turn's deadline)
   * @param action what to run
   * @return what the action returned
   * @throws CancelledException when cancelled before the lock was taken, or when the waiting thread
   *     is interrupted (its interrupt status is kept)
   */
  public <T> T withLock(String conversationId, Cancellation cancellation, Supplier<T> action) {
    Objects.requireNonNull(cancellation, "cancellation");
    ReentrantLock lock = locks.get(checkId(conversationId));
    cancellation.throwIfCancelled();
    try {
      // Polling keeps a cancel from having to interrupt the waiting thread, which the turn goes on
      // using.
      while (!lock.tryLock() && !lock.tryLock(LOCK_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        cancellation.throwIfCancelled();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException(
          "interrupted while waiting for conversation '"
              + conversationId
              + "', which another turn is using");
    }
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  List<Message> applyWindow(List<Message> all) {
    return all.size() <= maxMessages ? all : cut(all, maxMessages);
  }

  private static List<Message> cut(List<Message> all, int limit) {
    List<Message> system = new ArrayList<>();
    List<Message> rest = new ArrayList<>();
    for (Message m : all) {
      (m.role() == Message.Role.SYSTEM ? system : rest).add(m);
    }
    int keep = Math.max(0, limit - system.size());
    int cut = Math.max(0, rest.size() - keep);
    // Dropping a call drops its results with it: step past results whose call was cut.
    while (cut < rest.size() && rest.get(cut) instanceof ToolResultMessage) {
      cut++;
    }
    List<Message> kept = new ArrayList<>(system.size() + rest.size() - cut);
    kept.addAll(system);
    kept.addAll(rest.subList(cut, rest.size()));
    return kept;
  }

  private static String checkId(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId");
    if (conversationId.isBlank()) {
      throw new IllegalArgumentException("conversationId must not be blank");
    }
    return conversationId;
  }
}
