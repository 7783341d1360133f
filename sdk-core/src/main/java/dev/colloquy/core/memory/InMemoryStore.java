package dev.colloquy.core.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.colloquy.core.message.Message;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

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

  private final Cache<String, List<Message>> conversations;

  private InMemoryStore(Builder builder) {
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
  public List<Message> load(String conversationId) {
    List<Message> messages =
        conversations.getIfPresent(Objects.requireNonNull(conversationId, "conversationId"));
    return messages == null ? List.of() : messages;
  }

  @Override
  public void save(String conversationId, List<Message> messages) {
    conversations.put(
        Objects.requireNonNull(conversationId, "conversationId"), List.copyOf(messages));
  }

  @Override
  public void delete(String conversationId) {
    conversations.invalidate(Objects.requireNonNull(conversationId, "conversationId"));
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

    /** Returns a new store; the builder is unchanged. */
    public InMemoryStore build() {
      return new InMemoryStore(this);
    }
  }
}
