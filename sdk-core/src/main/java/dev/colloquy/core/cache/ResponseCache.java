package dev.colloquy.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.observe.ChatListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An exact-match response cache on Caffeine, shared by the models it decorates.
 *
 * <p>The key is the normalized request (messages, tools and their schemas, options), the model's
 * name and a scope (a tenant or a conversation), so one tenant's answers never reach another. By
 * default only deterministic requests are cached ({@link
 * dev.colloquy.core.model.ChatOptions#isDeterministic()}: temperature 0 or a seed), since a sampled
 * reply is meant to vary. Failed, cut (finish reason LENGTH or CONTENT_FILTER) and cancelled calls
 * are never stored. A hit is replayed to the caller's stream listener in text chunks, so streaming
 * callers see no difference.
 *
 * <pre>{@code
 * ResponseCache cache = ResponseCache.builder().maximumSize(50_000).expireAfterWrite(Duration.ofHours(6)).build();
 * ChatModel cached = cache.decorate("gpt-4o-mini", model, "tenant-7");
 * }</pre>
 *
 * <p>Defaults: 10,000 entries, entries expire 1 hour after they are written, deterministic requests
 * only, 32-character replay chunks, the system clock. Concurrent misses of one key both go to the
 * model (no request coalescing). Thread-safe.
 */
public final class ResponseCache {

  /** The scope used by {@link #decorate(String, ChatModel)}. */
  public static final String GLOBAL_SCOPE = "global";

  private final Cache<CacheKey, ChatResponse> store;
  private final boolean onlyDeterministic;
  private final int chunkSize;
  private final ChatListener listener;

  private ResponseCache(Builder b) {
    Clock clock = b.clock != null ? b.clock : Clock.systemUTC();
    store =
        Caffeine.newBuilder()
            .maximumSize(b.maximumSize != null ? b.maximumSize : 10_000)
            .expireAfterWrite(b.expireAfterWrite != null ? b.expireAfterWrite : Duration.ofHours(1))
            .ticker(() -> nanos(clock.instant()))
            .executor(Runnable::run)
            .recordStats()
            .build();
    onlyDeterministic = b.onlyDeterministic == null || b.onlyDeterministic;
    chunkSize = b.chunkSize != null ? b.chunkSize : 32;
    listener = b.listener != null ? b.listener : ChatListener.NONE;
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** Returns a builder with the defaults documented on this class. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the model with this cache in front of it, in the {@link #GLOBAL_SCOPE}.
   *
   * @param modelName the model's name, part of the key; not blank
   * @param model the model
   */
  public ChatModel decorate(String modelName, ChatModel model) {
    return decorate(modelName, model, GLOBAL_SCOPE);
  }

  /**
   * Returns the model with this cache in front of it, in a scope. Cheap: an agent may decorate per
   * turn with the tenant's or conversation's id.
   *
   * @param modelName the model's name, part of the key; not blank
   * @param model the model
   * @param scope the tenant or conversation whose answers may be shared; not blank
   */
  public ChatModel decorate(String modelName, ChatModel model, String scope) {
    requireText("modelName", modelName);
    requireText("scope", scope);
    return new CachingChatModel(
        Objects.requireNonNull(model, "model"),
        modelName,
        scope,
        store,
        onlyDeterministic,
        chunkSize,
        listener);
  }

  /** Returns the counters since this cache was built. */
  public CacheStatistics statistics() {
    store.cleanUp();
    CacheStats stats = store.stats();
    return new CacheStatistics(
        stats.hitCount(), stats.missCount(), stats.evictionCount(), store.estimatedSize());
  }

  /** Removes every entry of every scope. */
  public void clear() {
    store.invalidateAll();
  }

  /** Removes every entry of one scope, as when a tenant's data changes. */
  public void clear(String scope) {
    requireText("scope", scope);
    store.asMap().keySet().removeIf(key -> key.scope().equals(scope));
  }

  private static void requireText(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /**
   * Builds a {@link ResponseCache}. Each setting is validated when set and may be set once; a
   * repeat is rejected naming the first value.
   */
  public static final class Builder {
    private Long maximumSize;
    private Duration expireAfterWrite;
    private Boolean onlyDeterministic;
    private Integer chunkSize;
    private Clock clock;
    private ChatListener listener;

    private Builder() {}

    /** Sets the most entries kept; 0 keeps none (default 10,000). */
    public Builder maximumSize(long value) {
      once("maximumSize", maximumSize);
      if (value < 0) {
        throw new IllegalArgumentException("maximumSize must not be negative, was " + value);
      }
      maximumSize = value;
      return this;
    }

    /** Sets how long an entry lives after it is written; positive (default 1 hour). */
    public Builder expireAfterWrite(Duration value) {
      once("expireAfterWrite", expireAfterWrite);
      Objects.requireNonNull(value, "expireAfterWrite");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("expireAfterWrite must be positive, was " + value);
      }
      expireAfterWrite = value;
      return this;
    }

    /**
     * Caches sampled (non-deterministic) requests too, so repeated questions get one stored answer
     * (default: deterministic requests only).
     */
    public Builder cacheNonDeterministic() {
      once("cacheNonDeterministic", onlyDeterministic);
      onlyDeterministic = false;
      return this;
    }

    /** Sets the characters per delta when a hit is replayed; at least 1 (default 32). */
    public Builder replayChunkSize(int value) {
      once("replayChunkSize", chunkSize);
      if (value < 1) {
        throw new IllegalArgumentException("replayChunkSize must be at least 1, was " + value);
      }
      chunkSize = value;
      return this;
    }

    /** Sets the clock that expiry runs on (default: the system clock). */
    public Builder clock(Clock value) {
      once("clock", clock);
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Sets the listener told of each lookup, hit or miss (default: none). */
    public Builder listener(ChatListener value) {
      once("listener", listener);
      listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** Returns the cache; the builder is unchanged. */
    public ResponseCache build() {
      return new ResponseCache(this);
    }

    private static void once(String name, Object current) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }
  }
}
