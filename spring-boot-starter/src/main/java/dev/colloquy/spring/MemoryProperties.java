package dev.colloquy.spring;

import java.time.Duration;

/** {@code colloquy.memory.*}: the conversation memory of the property-built agent and its store. */
public class MemoryProperties {
  /** How many messages of each conversation are kept, at least 2. */
  private int window = 20;

  /** The most conversations the in-memory store keeps, at least 1. */
  private long maxConversations = 10_000;

  /**
   * After how long without a turn a conversation is forgotten: 24 hours in the in-memory store when
   * unset; never in a persistent store when unset.
   */
  private Duration expireAfterIdle;

  /** Where conversations are kept: in-memory (the default), jdbc or redis. */
  private Store store = Store.IN_MEMORY;

  /** The token budget of the kept messages (0: none), counted with the agent model's tokenizer. */
  private int tokens;

  /** How often a commit that lost to another instance's is retried after it (0: fail at once). */
  private int conflictRetries = 3;

  /** {@code colloquy.memory.jdbc.*}: the JDBC store on the application's DataSource. */
  private final Jdbc jdbc = new Jdbc();

  /** {@code colloquy.memory.redis.*}: the Redis store. */
  private final Redis redis = new Redis();

  /** Where conversations are kept. */
  public enum Store {
    /** In this JVM's heap ({@code InMemoryStore}): lost on restart, not shared. */
    IN_MEMORY,
    /** In the application's DataSource ({@code colloquy-memory-jdbc}: PostgreSQL, SQLite). */
    JDBC,
    /** In Redis ({@code colloquy-memory-redis}). */
    REDIS
  }

  /** {@code colloquy.memory.jdbc.*}. */
  public static class Jdbc {
    /** Whether the store creates and migrates its tables at startup (Flyway, its own history). */
    private boolean migrateOnStart = true;

    /** Returns whether tables are migrated at startup. */
    public boolean isMigrateOnStart() {
      return migrateOnStart;
    }

    /** Sets whether tables are migrated at startup. */
    public void setMigrateOnStart(boolean migrateOnStart) {
      this.migrateOnStart = migrateOnStart;
    }
  }

  /** {@code colloquy.memory.redis.*}. */
  public static class Redis {
    /** The server, e.g. {@code redis://user:password@host:6379/0}; required for the Redis store. */
    private String uri;

    /** Returns the URI, or null. */
    public String getUri() {
      return uri;
    }

    /** Sets the URI. */
    public void setUri(String uri) {
      this.uri = uri;
    }
  }

  /** Returns the store kind. */
  public Store getStore() {
    return store;
  }

  /** Sets the store kind. */
  public void setStore(Store store) {
    this.store = store;
  }

  /** Returns the token budget, 0 for none. */
  public int getTokens() {
    return tokens;
  }

  /** Sets the token budget: 0 for none, else at least 16. */
  public void setTokens(int tokens) {
    this.tokens =
        tokens == 0
            ? 0
            : ColloquyProperties.between("colloquy.memory.tokens", tokens, 16, Integer.MAX_VALUE);
  }

  /** Returns the conflict retries. */
  public int getConflictRetries() {
    return conflictRetries;
  }

  /** Sets the conflict retries; at least 0. */
  public void setConflictRetries(int conflictRetries) {
    this.conflictRetries =
        ColloquyProperties.between(
            "colloquy.memory.conflict-retries", conflictRetries, 0, Integer.MAX_VALUE);
  }

  /** Returns the JDBC settings. */
  public Jdbc getJdbc() {
    return jdbc;
  }

  /** Returns the Redis settings. */
  public Redis getRedis() {
    return redis;
  }

  /** Returns the window. */
  public int getWindow() {
    return window;
  }

  /** Sets the window; at least 2. */
  public void setWindow(int window) {
    this.window =
        ColloquyProperties.between("colloquy.memory.window", window, 2, Integer.MAX_VALUE);
  }

  /** Returns the most conversations kept. */
  public long getMaxConversations() {
    return maxConversations;
  }

  /** Sets the most conversations kept; at least 1. */
  public void setMaxConversations(long maxConversations) {
    this.maxConversations =
        ColloquyProperties.atLeast("colloquy.memory.max-conversations", maxConversations, 1);
  }

  /** Returns the idle expiry, or null when unset. */
  public Duration getExpireAfterIdle() {
    return expireAfterIdle;
  }

  /** Sets the idle expiry; positive. */
  public void setExpireAfterIdle(Duration expireAfterIdle) {
    this.expireAfterIdle =
        ColloquyProperties.positive("colloquy.memory.expire-after-idle", expireAfterIdle);
  }
}
