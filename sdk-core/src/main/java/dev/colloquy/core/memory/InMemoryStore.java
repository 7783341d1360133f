package dev.colloquy.core.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A {@link MemoryStore} in this JVM's heap, on a Caffeine cache: bounded in the number of
 * conversations it keeps, and forgetting a conversation after it has been idle for a while.
 *
 * <p>Defaults: at most 10,000 conversations (the least recently used go first), forgotten after 24
 * hours without a load or save. Thread-safe.
 */
public final class InMemoryStore implements MemoryStore {

  /** The default bound on the number of conversations. */
  public static final long DEFAULT_MAXIMUM_CONVERSATIONS = 10_000;

  /** The default idle time after which a conversation is forgotten. */
  public static final Duration DEFAULT_EXPIRE_AFTER_IDLE = Duration.ofHours(24);

  private final Cache<String, StoredConversation> conversations;
  private final Clock clock;

  private InMemoryStore(Builder builder) {
    clock = builder.clock;
    conversations =
        Caffeine.newBuilder()
            .maximumSize(builder.maximumConversations)
            .expireAfterAccess(builder.expireAfterIdle)
            .ticker(builder.nanoTime::getAsLong)
            .executor(Runnable::run)
            .build();
  }

  /** Returns a store with the default bounds. */
  public static InMemoryStore create() {
    return builder().build();
  }

  /** Returns a builder with the default bounds. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public StoredConversation load(String conversationId) {
    StoredConversation conversation =
        conversations.getIfPresent(Objects.requireNonNull(conversationId, "conversationId"));
    return conversation == null ? StoredConversation.absent(conversationId) : conversation;
  }

  @Override
  public long save(ConversationUpdate update) {
    long next = update.expectedVersion() + 1;
    boolean[] saved = {false};
    conversations
        .asMap()
        .compute(
            update.conversationId(),
            (id, old) -> {
              long current = old == null ? 0 : old.version();
              if (current != update.expectedVersion()) {
                return old;
              }
              saved[0] = true;
              return new StoredConversation(
                  id,
                  old == null ? update.tenant() : old.tenant(),
                  next,
                  update.messages(),
                  update.turns(),
                  clock.instant());
            });
    if (!saved[0]) {
      throw new MemoryConflictException(update.conversationId(), update.expectedVersion());
    }
    return next;
  }

  @Override
  public boolean delete(String conversationId) {
    return conversations.asMap().remove(Objects.requireNonNull(conversationId, "conversationId"))
        != null;
  }

  @Override
  public List<ConversationInfo> list(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return conversations.asMap().values().stream()
        .filter(c -> c.tenant().equals(tenant))
        .sorted(Comparator.comparing(StoredConversation::updatedAt).reversed())
        .map(
            c ->
                new ConversationInfo(
                    c.id(), c.tenant(), c.version(), c.messages().size(), c.updatedAt()))
        .toList();
  }

  @Override
  public int deleteTenant(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return removeIf(c -> c.tenant().equals(tenant));
  }

  @Override
  public int deleteIdleSince(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return removeIf(c -> c.updatedAt().isBefore(cutoff));
  }

  private int removeIf(Predicate<StoredConversation> which) {
    int removed = 0;
    for (var entry : conversations.asMap().entrySet()) {
      if (which.test(entry.getValue())
          && conversations.asMap().remove(entry.getKey(), entry.getValue())) {
        removed++;
      }
    }
    return removed;
  }

  /** Returns the number of conversations held now (approximate while others write). */
  public long size() {
    conversations.cleanUp();
    return conversations.estimatedSize();
  }

  /** Builds an {@link InMemoryStore}; each setting may be set once. */
  public static final class Builder {
    private long maximumConversations = DEFAULT_MAXIMUM_CONVERSATIONS;
    private Duration expireAfterIdle = DEFAULT_EXPIRE_AFTER_IDLE;
    private LongSupplier nanoTime = System::nanoTime;
    private Clock clock = Clock.systemUTC();
    private boolean clockSet;
    private boolean maximumSet;
    private boolean expirySet;
    private boolean nanoTimeSet;

    private Builder() {}

    /** Sets how many conversations are kept at most, at least 1 (default 10,000). */
    public Builder maximumConversations(long value) {
      if (maximumSet) {
        throw new IllegalStateException(
            "maximumConversations was already set to " + maximumConversations);
      }
      if (value < 1) {
        throw new IllegalArgumentException("maximumConversations must be at least 1, was " + value);
      }
      maximumConversations = value;
      maximumSet = true;
      return this;
    }

    /** Sets after how long without use a conversation is forgotten, positive (default 24 hours). */
    public Builder expireAfterIdle(Duration value) {
      if (expirySet) {
        throw new IllegalStateException("expireAfterIdle was already set to " + expireAfterIdle);
      }
      Objects.requireNonNull(value, "expireAfterIdle");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("expireAfterIdle must be positive, was " + value);
      }
      expireAfterIdle = value;
      expirySet = true;
      return this;
    }

    /**
     * Sets the time source for expiry, in nanoseconds, for tests (default: {@code
     * System::nanoTime}).
     */
    public Builder nanoTime(LongSupplier value) {
      if (nanoTimeSet) {
        throw new IllegalStateException("nanoTime was already set");
      }
      nanoTime = Objects.requireNonNull(value, "nanoTime");
      nanoTimeSet = true;
      return this;
    }

    /** Sets the clock that stamps each save's time (default: the system clock in UTC). */
    public Builder clock(Clock value) {
      if (clockSet) {
        throw new IllegalStateException("clock was already set to " + clock);
      }
      clock = Objects.requireNonNull(value, "clock");
      clockSet = true;
      return this;
    }

    /** Returns a new store; the builder is unchanged. */
    public InMemoryStore build() {
      return new InMemoryStore(this);
    }
  }
}
