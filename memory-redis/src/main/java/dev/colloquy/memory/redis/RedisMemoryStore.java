package dev.colloquy.memory.redis;

import dev.colloquy.core.memory.ConversationInfo;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.CorruptConversationException;
import dev.colloquy.core.memory.MemoryConflictException;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.memory.MemoryStoreException;
import dev.colloquy.core.memory.StoredConversation;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link MemoryStore} on Redis (Lettuce), shared by any number of application instances.
 *
 * <p>Each conversation is one hash, written whole by a Lua script that first compares its version
 * with the one the writer read: a save is atomic and a compare-and-set, across instances. A set per
 * tenant and a sorted set by last save serve {@link #list}, {@link #deleteTenant} and {@link
 * #deleteIdleSince}. With {@link Builder#expireAfterIdle} every save sets the conversation's native
 * Redis expiry; entries of expired conversations leave the indexes as they are met. The key layout,
 * the scripts and what Redis's persistence settings mean for durability are in
 * docs/persistence-redis.md.
 *
 * <p>The store opens its one connection at the first command and shares it between threads. A
 * failure to reach Redis is a {@link MemoryStoreException} naming the conversation and the server,
 * never its password; a conversation that cannot be read back is a {@link
 * CorruptConversationException} naming it and the entry. Standalone Redis and Sentinel are
 * supported, Redis Cluster is not (the scripts touch a conversation and the shared indexes). Redis
 * 5.0 or later (the scripts rely on effects replication); tested on 7.0.
 *
 * <p>Thread-safe. {@link #close} closes the connection, and the client when the store created it.
 */
public final class RedisMemoryStore implements MemoryStore, AutoCloseable {

  /** The default prefix of every key. */
  public static final String DEFAULT_KEY_PREFIX = "colloquy:";

  /** The default time a command may take before it fails. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

  // How many conversations one run of delete-tenant.lua or sweep.lua handles: each run blocks the
  // server, so a large tenant or sweep is done in slices.
  private static final int BATCH = 256;

  private final LazyConnection connection;
  private final KeyLayout keys;
  private final long expireAfterIdleMillis;
  private final Clock clock;

  private RedisMemoryStore(LazyConnection connection, Builder b) {
    this.connection = connection;
    this.keys = new KeyLayout(b.keyPrefix);
    this.expireAfterIdleMillis = b.expireAfterIdle == null ? 0 : b.expireAfterIdle.toMillis();
    this.clock = b.clock;
  }

  /**
   * Returns a builder: no server yet, key prefix {@value #DEFAULT_KEY_PREFIX}, no expiry, command
   * timeout 5 s, the system clock.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public StoredConversation load(String conversationId) {
    String key = keys.conversation(Objects.requireNonNull(conversationId, "conversationId"));
    Map<String, String> fields =
        connection.run(
            conversationId, "load conversation '" + conversationId + "'", c -> c.hgetall(key));
    return fields.isEmpty()
        ? StoredConversation.absent(conversationId)
        : ConversationHash.read(conversationId, key, fields);
  }

  @Override
  public long save(ConversationUpdate update) {
    String id = update.conversationId();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<String> args = new ArrayList<>();
    args.add(Long.toString(update.expectedVersion()));
    args.add(keys.prefix());
    args.add(id);
    args.add(update.tenant());
    args.add(KeyLayout.encode(id, "conversationId"));
    args.add(KeyLayout.encode(update.tenant(), "tenant"));
    args.add(now.toString());
    args.add(Long.toString(ConversationHash.micros(now)));
    args.add(Long.toString(expireAfterIdleMillis));
    args.addAll(ConversationHash.payload(update));
    Long version =
        connection.eval(
            id,
            "save conversation '"
                + id
                + "' (if the connection failed after the script was sent, the save may have"
                + " been applied: load the conversation to see)",
            LuaScript.SAVE,
            ScriptOutputType.INTEGER,
            new String[] {keys.conversation(id), keys.updatedIndex()},
            args.toArray(String[]::new));
    if (version < 0) {
      throw new MemoryConflictException(id, update.expectedVersion());
    }
    return version;
  }

  @Override
  public boolean delete(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId");
    Long existed =
        connection.eval(
            conversationId,
            "delete conversation '" + conversationId + "'",
            LuaScript.DELETE,
            ScriptOutputType.INTEGER,
            new String[] {keys.conversation(conversationId), keys.updatedIndex()},
            keys.prefix(),
            KeyLayout.encode(conversationId, "conversationId"));
    return existed == 1;
  }

  @Override
  public List<ConversationInfo> list(String tenant) {
    String tenantKey = keys.tenant(Objects.requireNonNull(tenant, "tenant"));
    List<Object> entries =
        connection.eval(
            null,
            "list the conversations of tenant '" + tenant + "'",
            LuaScript.LIST,
            ScriptOutputType.MULTI,
            new String[] {tenantKey, keys.updatedIndex()},
            keys.prefix(),
            KeyLayout.encode(tenant, "tenant"));
    List<ConversationInfo> infos = new ArrayList<>(entries.size());
    for (Object entry : entries) {
      List<?> fields = (List<?>) entry;
      infos.add(
          ConversationHash.info(tenant, keys.prefix() + "conversation:" + fields.get(0), fields));
    }
    infos.sort(
        Comparator.comparing(ConversationInfo::updatedAt)
            .reversed()
            .thenComparing(ConversationInfo::id));
    return infos;
  }

  @Override
  public int deleteTenant(String tenant) {
    String tenantKey = keys.tenant(Objects.requireNonNull(tenant, "tenant"));
    String tenantCode = KeyLayout.encode(tenant, "tenant");
    int deleted = 0;
    long left;
    do {
      List<Object> result =
          connection.eval(
              null,
              "delete the conversations of tenant '" + tenant + "'",
              LuaScript.DELETE_TENANT,
              ScriptOutputType.MULTI,
              new String[] {tenantKey, keys.updatedIndex()},
              keys.prefix(),
              tenantCode,
              Integer.toString(BATCH));
      deleted += ((Long) result.get(0)).intValue();
      left = (Long) result.get(1);
    } while (left > 0);
    return deleted;
  }

  @Override
  public int deleteIdleSince(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    // Saves are stamped to the microsecond: "before the cutoff" is "below its ceiling".
    long ceiling = ConversationHash.micros(cutoff) + (cutoff.getNano() % 1000 == 0 ? 0 : 1);
    int deleted = 0;
    long examined;
    do {
      List<Object> result =
          connection.eval(
              null,
              "delete the conversations saved before " + cutoff,
              LuaScript.SWEEP,
              ScriptOutputType.MULTI,
              new String[] {keys.updatedIndex()},
              keys.prefix(),
              Long.toString(ceiling),
              Integer.toString(BATCH));
      deleted += ((Long) result.get(0)).intValue();
      examined = (Long) result.get(1);
    } while (examined == BATCH);
    return deleted;
  }

  /** Closes the connection, and the Redis client if the store created it. Idempotent. */
  @Override
  public void close() {
    connection.close();
  }

  /** Returns the server (without credentials), key prefix and expiry. */
  @Override
  public String toString() {
    return "RedisMemoryStore["
        + connection.endpoint()
        + ", keyPrefix="
        + keys.prefix()
        + ", expireAfterIdle="
        + (expireAfterIdleMillis == 0 ? "none" : Duration.ofMillis(expireAfterIdleMillis))
        + "]";
  }

  /**
   * Builds a {@link RedisMemoryStore}. Each setting may be set once; {@link #uri} or {@link
   * #client} is required.
   */
  public static final class Builder {
    private String uri;
    private RedisEndpoint endpoint;
    private RedisClient client;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private boolean keyPrefixSet;
    private Duration expireAfterIdle;
    private Clock clock = Clock.systemUTC();
    private boolean clockSet;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private boolean commandTimeoutSet;

    private Builder() {}

    /**
     * Sets the server: {@code redis://[[user:]password@]host[:port][/database]}, {@code rediss://}
     * for TLS, {@code redis-sentinel://…#master} for Sentinel, {@code redis-socket://path}. Alone,
     * the store creates its own client, which fails commands at once while disconnected and
     * reconnects by itself, and shuts it down on {@link RedisMemoryStore#close}. With {@link
     * #client}, the store connects to this URI through that client.
     *
     * @throws IllegalArgumentException when it is not a Redis URI (the message leaves out its
     *     credentials)
     */
    public Builder uri(String value) {
      Objects.requireNonNull(value, "uri");
      if (endpoint != null) {
        throw new IllegalStateException("uri was already set to " + endpoint);
      }
      endpoint = RedisEndpoint.parse(value);
      uri = value;
      return this;
    }

    /**
     * Sets a client the application owns (its event loops, TLS and client options are used). The
     * store opens its own connection through it, to {@link #uri} if set, else to the URI the client
     * was created with, and closes only that connection; the application shuts the client down.
     */
    public Builder client(RedisClient value) {
      Objects.requireNonNull(value, "client");
      if (client != null) {
        throw new IllegalStateException("client was already set");
      }
      client = value;
      return this;
    }

    /**
     * Sets the prefix of every key, not empty (default {@value #DEFAULT_KEY_PREFIX}): stores with
     * different prefixes share a server without seeing each other.
     */
    public Builder keyPrefix(String value) {
      Objects.requireNonNull(value, "keyPrefix");
      if (keyPrefixSet) {
        throw new IllegalStateException("keyPrefix was already set to '" + keyPrefix + "'");
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("keyPrefix must not be empty");
      }
      keyPrefix = value;
      keyPrefixSet = true;
      return this;
    }

    /**
     * Sets after how long without a save Redis deletes a conversation by itself, at least 1 ms,
     * whole milliseconds (default: never; conversations stay until deleted or swept by {@link
     * RedisMemoryStore#deleteIdleSince}). Each save sets the conversation's TTL to this.
     */
    public Builder expireAfterIdle(Duration value) {
      Objects.requireNonNull(value, "expireAfterIdle");
      if (expireAfterIdle != null) {
        throw new IllegalStateException("expireAfterIdle was already set to " + expireAfterIdle);
      }
      if (value.toMillis() < 1 || !value.equals(Duration.ofMillis(value.toMillis()))) {
        throw new IllegalArgumentException(
            "expireAfterIdle must be a positive whole number of milliseconds, was " + value);
      }
      expireAfterIdle = value;
      return this;
    }

    /** Sets the clock that stamps each save's {@code updatedAt} (default: the system clock). */
    public Builder clock(Clock value) {
      Objects.requireNonNull(value, "clock");
      if (clockSet) {
        throw new IllegalStateException("clock was already set to " + clock);
      }
      clock = value;
      clockSet = true;
      return this;
    }

    /**
     * Sets how long a command, or opening the connection, may take before it fails with a {@link
     * MemoryStoreException}, positive (default 5 s).
     */
    public Builder commandTimeout(Duration value) {
      Objects.requireNonNull(value, "commandTimeout");
      if (commandTimeoutSet) {
        throw new IllegalStateException("commandTimeout was already set to " + commandTimeout);
      }
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("commandTimeout must be positive, was " + value);
      }
      commandTimeout = value;
      commandTimeoutSet = true;
      return this;
    }

    /**
     * Returns a new store; it connects at its first command. The builder is unchanged.
     *
     * @throws IllegalStateException when neither {@link #uri} nor {@link #client} was set
     */
    public RedisMemoryStore build() {
      if (endpoint == null && client == null) {
        throw new IllegalStateException(
            "set uri(\"redis://host:6379\") or client(redisClient): the store needs a server");
      }
      // Parsed again: each store owns its RedisURI, whose timeout it sets.
      RedisEndpoint target = endpoint == null ? RedisEndpoint.ofClient() : RedisEndpoint.parse(uri);
      if (target.uri() != null) {
        target.uri().setTimeout(commandTimeout);
      }
      LazyConnection connection;
      if (client != null) {
        connection = new LazyConnection(client, false, target, commandTimeout);
      } else {
        connection = new LazyConnection(ownClient(target.uri()), true, target, commandTimeout);
      }
      return new RedisMemoryStore(connection, this);
    }

    private RedisClient ownClient(RedisURI target) {
      RedisClient created = RedisClient.create(target);
      created.setOptions(
          ClientOptions.builder()
              .autoReconnect(true)
              // A command sent while the connection is down fails at once rather than waiting to be
              // replayed after the caller has given up.
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
              .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
              .build());
      return created;
    }
  }
}
