package dev.colloquy.memory.redis;

import dev.colloquy.core.CancelledException;
import dev.colloquy.core.memory.CorruptConversationException;
import dev.colloquy.core.memory.MemoryStoreException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The store's one connection, opened at the first command (so a store can be built while Redis is
 * still starting, and a failure names the conversation it was for), then shared by every thread:
 * Lettuce pipelines the commands of many threads on one connection and reconnects by itself. Every
 * driver failure leaves here as a {@link MemoryStoreException} or {@link CancelledException}, its
 * text free of the URI's secrets.
 */
final class LazyConnection implements AutoCloseable {

  private final RedisClient client;
  private final boolean ownsClient;
  private final RedisEndpoint endpoint;
  private final Duration timeout;
  private final Object lock = new Object();
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile boolean closed;

  LazyConnection(RedisClient client, boolean ownsClient, RedisEndpoint endpoint, Duration timeout) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.endpoint = endpoint;
    this.timeout = timeout;
  }

  RedisEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Runs commands.
   *
   * @param conversationId the conversation they are about, or {@code null}
   * @param action what they do, for messages: "save conversation 'x'"
   * @throws MemoryStoreException when Redis cannot be reached or refuses
   * @throws CorruptConversationException when the conversation's key holds another type
   * @throws CancelledException when the waiting thread is interrupted (its status is kept)
   */
  <T> T run(
      String conversationId, String action, Function<RedisCommands<String, String>, T> command) {
    try {
      return command.apply(open().sync());
    } catch (RedisCommandInterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException(
          endpoint.redact("interrupted while Redis at " + endpoint + " was asked to " + action));
    } catch (RedisException e) {
      String reason = Objects.toString(e.getMessage(), e.getClass().getSimpleName());
      if (conversationId != null
          && e instanceof RedisCommandExecutionException
          && reason.contains("WRONGTYPE")) {
        throw new CorruptConversationException(
            conversationId,
            endpoint.redact("its Redis key holds another type than a hash (" + reason + ")"),
            endpoint.sanitize(e));
      }
      throw new MemoryStoreException(
          endpoint.redact("Redis at " + endpoint + " could not " + action + ": " + reason),
          endpoint.sanitize(e));
    }
  }

  /**
   * Runs a script by its SHA-1, sending its text only when the server does not know it yet (after a
   * restart or {@code SCRIPT FLUSH}).
   */
  <T> T eval(
      String conversationId,
      String action,
      LuaScript script,
      ScriptOutputType type,
      String[] keys,
      String... args) {
    return run(
        conversationId,
        action,
        commands -> {
          try {
            return commands.<T>evalsha(script.sha1(), type, keys, args);
          } catch (RedisNoScriptException e) {
            return commands.<T>eval(script.text(), type, keys, args);
          }
        });
  }

  private StatefulRedisConnection<String, String> open() {
    StatefulRedisConnection<String, String> current = connection;
    if (current != null && !closed) {
      return current;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("this RedisMemoryStore is closed");
      }
      if (connection == null) {
        StatefulRedisConnection<String, String> opened =
            endpoint.uri() == null ? client.connect() : client.connect(endpoint.uri());
        opened.setTimeout(timeout);
        connection = opened;
      }
      return connection;
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      StatefulRedisConnection<String, String> current = connection;
      connection = null;
      try {
        if (current != null) {
          current.close();
        }
      } finally {
        if (ownsClient) {
          client.shutdown();
        }
      }
    }
  }
}
