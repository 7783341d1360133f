package dev.colloquy.core.memory;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.TokenCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Conversation memory: a {@link MemoryStore} plus the window policy that bounds each conversation,
 * plus the per-conversation lock that keeps turns from interleaving.
 *
 * <p>Window policy: a conversation keeps at most {@code maxMessages} messages, and, when a token
 * budget is set, as many of the most recent messages as fit it, counted with the model's tokenizer.
 * When a commit goes over, the oldest messages go first, except system messages, which stay. The
 * cut never leaves a tool result without the call it answers, nor a tool call without its results:
 * a cut that would land inside such a group moves past the group. With a {@link Summarizer}, the
 * messages cut are replaced by a summary, made in the same commit.
 *
 * <p>Turns are committed whole with {@link #commit}; nothing is written while a turn runs, so a
 * failed turn leaves the conversation as it was.
 *
 * <p>Several writers: every commit is a compare-and-set on the conversation's version in the store,
 * so two application instances sharing a store never lose or interleave a turn. On a conflict the
 * memory reads the conversation again and appends the turn after the one that won, up to {@code
 * conflictRetries} times (default 3; 0 fails at once with {@link MemoryConflictException}). The
 * per-JVM lock only saves the retries between threads of one instance.
 *
 * <p>Thread-safe.
 */
public final class ChatMemory {

  // How often a cancellable wait for a conversation's lock looks at its cancellation.
  private static final long LOCK_POLL_MILLIS = 10;

  private final MemoryStore store;
  private final int maxMessages;
  private final int maxTokens;
  private final TokenCounter counter;
  private final Summarizer summarizer;
  private final int conflictRetries;
  private final Clock clock;
  // Weak values: a lock lives while some thread holds a reference to it, then is collected.
  private final LoadingCache<String, ReentrantLock> locks =
      Caffeine.newBuilder().weakValues().build(id -> new ReentrantLock());

  private ChatMemory(Builder b) {
    this.store = b.store != null ? b.store : InMemoryStore.create();
    this.maxMessages =
        b.maxMessages != 0 ? b.maxMessages : b.maxTokens > 0 ? Integer.MAX_VALUE : 20;
    this.maxTokens = b.maxTokens;
    this.counter = b.counter;
    this.summarizer = b.summarizer;
    this.conflictRetries = b.conflictRetries;
    this.clock = b.clock;
  }

  /**
   * Returns a memory keeping the last {@code maxMessages} messages of each conversation in an
   * {@link InMemoryStore} with its default bounds.
   *
   * @param maxMessages the window size, at least 2
   */
  public static ChatMemory window(int maxMessages) {
    return builder().maxMessages(maxMessages).build();
  }

  /**
   * Returns a memory keeping the last {@code maxMessages} messages of each conversation in the
   * given store.
   *
   * @param maxMessages the window size, at least 2
   * @param store where conversations are kept
   */
  public static ChatMemory window(int maxMessages, MemoryStore store) {
    return builder().maxMessages(maxMessages).store(store).build();
  }

  /**
   * Returns a builder: an {@link InMemoryStore}, a window of 20 messages, no summaries, 3 conflict
   * retries.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the window size in messages ({@link Integer#MAX_VALUE} for a token window alone). */
  public int maxMessages() {
    return maxMessages;
  }

  /** Returns the window size in tokens, or 0 when the window counts only messages. */
  public int maxTokens() {
    return maxTokens;
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
    return store.load(checkId(conversationId)).messages();
  }

  /**
   * Appends a turn committed by hand (default tenant, no model, no usage) to a conversation.
   *
   * @param conversationId the conversation; not blank
   * @param turn the turn's messages, oldest first
   */
  public void commit(String conversationId, List<Message> turn) {
    commit(conversationId, turn, TurnRecord.manual(clock.instant()));
  }

  /**
   * Appends a completed turn to a conversation and applies the window, atomically: the store holds
   * all of the turn or none of it.
   *
   * @param conversationId the conversation; not blank
   * @param turn the turn's messages, oldest first
   * @param record what is known about the turn, kept with it
   * @throws MemoryConflictException when other writers kept winning the compare-and-set
   */
  public void commit(String conversationId, List<Message> turn, TurnRecord record) {
    checkId(conversationId);
    List<Message> copy = List.copyOf(turn);
    Objects.requireNonNull(record, "record");
    withLock(
        conversationId,
        () -> {
          update(
              conversationId,
              record.tenant(),
              stored -> {
                List<Message> all = new ArrayList<>(stored.messages());
                all.addAll(copy);
                List<TurnRecord> turns = new ArrayList<>(stored.turns());
                turns.add(record);
                List<Message> kept = applyWindow(all);
                // A turn has at least one message, so as many records as kept messages cover every
                // turn that still has a message in the window, and the records stay bounded.
                return new Change(
                    kept, turns.subList(Math.max(0, turns.size() - kept.size()), turns.size()));
              });
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
          update(
              conversationId,
              TurnRecord.DEFAULT_TENANT,
              stored ->
                  stored.exists()
                      ? new Change(cut(stored.messages(), keepLastMessages), stored.turns())
                      : null);
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
    withLock(conversationId, () -> store.delete(conversationId));
  }

  private record Change(List<Message> messages, List<TurnRecord> turns) {}

  // Read, change, compare-and-set; on a conflict read again and redo the change on what won.
  private void update(
      String conversationId, String tenant, Function<StoredConversation, Change> change) {
    for (int attempt = 0; ; attempt++) {
      StoredConversation stored = store.load(conversationId);
      Change next = change.apply(stored);
      if (next == null) {
        return;
      }
      try {
        store.save(
            new ConversationUpdate(
                conversationId, stored.version(), tenant, next.messages(), next.turns()));
        return;
      } catch (MemoryConflictException e) {
        if (attempt >= conflictRetries) {
          throw e;
        }
      }
    }
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
    List<Message> system = new ArrayList<>();
    Message summary = null;
    List<Message> rest = new ArrayList<>();
    for (Message m : all) {
      if (isSummary(m)) {
        summary = m;
      } else {
        (m.role() == Message.Role.SYSTEM ? system : rest).add(m);
      }
    }
    int cut = cutPoint(system, rest, maxMessages, maxTokens);
    if (cut == 0) {
      return all;
    }
    List<Message> kept = new ArrayList<>(system);
    if (summarizer != null) {
      List<Message> older = new ArrayList<>();
      if (summary != null) {
        older.add(summary);
      }
      older.addAll(rest.subList(0, cut));
      kept.add(new SystemMessage(Summarizer.PREFIX + summarizer.summarize(older)));
    }
    kept.addAll(rest.subList(cut, rest.size()));
    return kept;
  }

  private List<Message> cut(List<Message> all, int limit) {
    List<Message> system = new ArrayList<>();
    List<Message> rest = new ArrayList<>();
    for (Message m : all) {
      (m.role() == Message.Role.SYSTEM ? system : rest).add(m);
    }
    int cut = cutPoint(system, rest, limit, 0);
    List<Message> kept = new ArrayList<>(system);
    kept.addAll(rest.subList(cut, rest.size()));
    return kept;
  }

  // Where the kept part of the non-system messages starts: the first index from which they fit
  // both limits (with the system messages), moved past tool results whose call would be cut.
  private int cutPoint(List<Message> system, List<Message> rest, int messages, int tokens) {
    int cut = Math.max(0, rest.size() - Math.max(0, messages - system.size()));
    if (tokens > 0) {
      long used = 0;
      for (Message m : system) {
        used += counter.count(m);
      }
      int start = rest.size();
      while (start > cut && used + counter.count(rest.get(start - 1)) <= tokens) {
        used += counter.count(rest.get(--start));
      }
      cut = start;
    }
    // Dropping a call drops its results with it: step past results whose call was cut.
    while (cut < rest.size() && rest.get(cut) instanceof ToolResultMessage) {
      cut++;
    }
    return cut;
  }

  private static boolean isSummary(Message m) {
    return m instanceof SystemMessage s && s.text().startsWith(Summarizer.PREFIX);
  }

  private static String checkId(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId");
    if (conversationId.isBlank()) {
      throw new IllegalArgumentException("conversationId must not be blank");
    }
    return conversationId;
  }

  /** Builds a {@link ChatMemory}; each setting may be set once. */
  public static final class Builder {
    private MemoryStore store;
    private int maxMessages;
    private int maxTokens;
    private TokenCounter counter;
    private Summarizer summarizer;
    private int conflictRetries = 3;
    private Clock clock = Clock.systemUTC();
    private boolean conflictRetriesSet;
    private boolean clockSet;

    private Builder() {}

    private static void once(boolean set, String setting, Object value) {
      if (set) {
        throw new IllegalStateException(setting + " was already set to " + value);
      }
    }

    /** Sets where conversations are kept (default: a new {@link InMemoryStore}). */
    public Builder store(MemoryStore value) {
      once(store != null, "store", store);
      store = Objects.requireNonNull(value, "store");
      return this;
    }

    /**
     * Sets the window size in messages, at least 2 (default 20, or no message limit when {@link
     * #maxTokens} is set).
     */
    public Builder maxMessages(int value) {
      once(maxMessages != 0, "maxMessages", maxMessages);
      if (value < 2) {
        throw new IllegalArgumentException(
            "maxMessages must be at least 2 (a question and its answer), was " + value);
      }
      maxMessages = value;
      return this;
    }

    /**
     * Keeps as many of the most recent messages as fit a token budget, counted with a model's
     * tokenizer ({@code TokenCounter} of the agent's model, or {@link TokenCounter#estimate()}).
     * System messages always stay and count against the budget; a tool call and its results stay or
     * go together.
     *
     * @param budget the most tokens the kept messages may take, at least 16
     * @param tokenCounter how tokens are counted
     */
    public Builder maxTokens(int budget, TokenCounter tokenCounter) {
      once(maxTokens != 0, "maxTokens", maxTokens);
      if (budget < 16) {
        throw new IllegalArgumentException("maxTokens must be at least 16, was " + budget);
      }
      maxTokens = budget;
      counter = Objects.requireNonNull(tokenCounter, "tokenCounter");
      return this;
    }

    /**
     * Replaces the messages the window drops by a summary, written by the summarizer in the same
     * commit as the turn: the summary is one system message starting with {@link
     * Summarizer#PREFIX}, kept after the other system messages and on top of the window, and
     * visible in the history. A summary that fails fails the commit, and memory stays as it was.
     *
     * @param value writes the summaries, e.g. {@code Summarizer.using(cheapModel, 200)}
     */
    public Builder summarizer(Summarizer value) {
      once(summarizer != null, "summarizer", summarizer);
      summarizer = Objects.requireNonNull(value, "summarizer");
      return this;
    }

    /**
     * Sets how many times a commit that lost the compare-and-set to another writer reads the
     * conversation again and retries, at least 0 (default 3; 0 fails at the first conflict).
     */
    public Builder conflictRetries(int value) {
      once(conflictRetriesSet, "conflictRetries", conflictRetries);
      if (value < 0) {
        throw new IllegalArgumentException("conflictRetries must not be negative, was " + value);
      }
      conflictRetries = value;
      conflictRetriesSet = true;
      return this;
    }

    /** Sets the clock that stamps turns committed by hand (default: the system clock in UTC). */
    public Builder clock(Clock value) {
      once(clockSet, "clock", clock);
      clock = Objects.requireNonNull(value, "clock");
      clockSet = true;
      return this;
    }

    /** Returns a new memory; the builder is unchanged. */
    public ChatMemory build() {
      return new ChatMemory(this);
    }
  }
}
