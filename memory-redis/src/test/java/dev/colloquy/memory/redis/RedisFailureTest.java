package dev.colloquy.memory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.MemoryStoreException;
import dev.colloquy.core.message.Message;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A server that is down, slow, protected by a password, or killed: each test has its own. */
class RedisFailureTest {

  private static final String PASSWORD = "pw-7f3a9c-Secret";

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static ConversationUpdate update(String id, long expected, String text) {
    return new ConversationUpdate(id, expected, "t", List.of(Message.user(text)), List.of());
  }

  @Test
  void aServerThatWentDownIsAMemoryStoreExceptionNamingTheConversationAndNotThePassword() {
    RedisServer server = RedisServer.start("--requirepass", PASSWORD);
    try (RedisMemoryStore store =
        RedisMemoryStore.builder()
            .uri(server.uri(PASSWORD))
            .commandTimeout(Duration.ofSeconds(2))
            .build()) {
      store.save(update("conv-1", 0, "hello"));
      assertThat(store.toString())
          .isEqualTo(
              "RedisMemoryStore[redis://127.0.0.1:"
                  + server.port()
                  + "/0, keyPrefix=colloquy:, expireAfterIdle=none]")
          .doesNotContain(PASSWORD);

      server.kill();

      long started = System.nanoTime();
      for (String operation : List.of("load", "save")) {
        Throwable failure =
            catchFailure(
                () -> {
                  if (operation.equals("load")) {
                    store.load("conv-1");
                  } else {
                    store.save(update("conv-1", 1, "again"));
                  }
                });
        assertThat(failure)
            .isInstanceOf(MemoryStoreException.class)
            .hasMessageContaining("conversation 'conv-1'")
            .hasMessageContaining("redis://127.0.0.1:" + server.port() + "/0");
        assertThat(stackTrace(failure)).doesNotContain(PASSWORD);
      }
      assertThat(catchFailure(() -> store.list("t")))
          .isInstanceOf(MemoryStoreException.class)
          .hasMessageContaining("tenant 't'");
      // Rejected at once while disconnected, not after the command timeout.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    } finally {
      server.close();
    }
  }

  @Test
  void aServerThatNeverAnsweredIsAMemoryStoreExceptionWithoutThePassword() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (RedisMemoryStore store =
        RedisMemoryStore.builder()
            .uri("redis://admin:" + PASSWORD + "@127.0.0.1:" + port + "/3")
            .build()) {
      Throwable failure = catchFailure(() -> store.load("never"));

      assertThat(failure)
          .isInstanceOf(MemoryStoreException.class)
          .hasMessageStartingWith(
              "Redis at redis://127.0.0.1:" + port + "/3 could not load conversation 'never'");
      assertThat(stackTrace(failure)).doesNotContain(PASSWORD);
      assertThat(store.toString()).doesNotContain(PASSWORD).doesNotContain("admin");
    }
  }

  @Test
  void aWrongPasswordIsAMemoryStoreExceptionThatDoesNotShowIt() {
    try (RedisServer server = RedisServer.start("--requirepass", PASSWORD);
        RedisMemoryStore store =
            RedisMemoryStore.builder().uri(server.uri("wrong-" + PASSWORD)).build()) {
      Throwable failure = catchFailure(() -> store.load("c"));

      assertThat(failure)
          .isInstanceOf(MemoryStoreException.class)
          .hasMessageContaining("conversation 'c'");
      assertThat(stackTrace(failure)).doesNotContain(PASSWORD);
    }
  }

  @Test
  void aUriThatIsNotARedisUriIsRejectedWithoutItsPassword() {
    assertThatThrownBy(
            () -> RedisMemoryStore.builder().uri("redis://user:" + PASSWORD + "@local host:6379/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Redis URI")
        .hasMessageNotContaining(PASSWORD)
        .hasNoCause();
  }

  @Test
  void aSlowServerIsATimeoutThatSaysTheSaveMayHaveBeenApplied() {
    try (RedisServer server = RedisServer.start();
        RedisMemoryStore store =
            RedisMemoryStore.builder()
                .uri(server.uri())
                .commandTimeout(Duration.ofMillis(300))
                .build();
        RedisClient client = RedisClient.create(server.uri());
        StatefulRedisConnection<String, String> admin = client.connect()) {
      store.save(update("slow", 0, "first"));
      admin.sync().clientPause(3_000);

      assertThat(catchFailure(() -> store.save(update("slow", 1, "second"))))
          .isInstanceOf(MemoryStoreException.class)
          .hasMessageContaining("could not save conversation 'slow'")
          .hasMessageContaining("may have been applied")
          .hasMessageContaining("timed out");
    }
  }

  /**
   * A killed process keeps what it handed the kernel, which Redis does before it answers; fsync
   * ({@code appendfsync always}) is what also keeps it through a machine crash, which no test here
   * can cause (docs/persistence-redis.md).
   */
  @Test
  void aTurnWhoseCommitReturnedSurvivesAKilledServer() throws Exception {
    try (RedisServer server = RedisServer.start("--appendfsync", "always");
        RedisMemoryStore store = RedisMemoryStore.builder().uri(server.uri()).build()) {
      ChatMemory memory = ChatMemory.builder().store(store).maxMessages(100).build();
      for (int t = 0; t < 20; t++) {
        memory.commit("durable", List.of(Message.user("q" + t), Message.assistant("a" + t)));
      }

      server.kill();
      server.restart();

      // The same store reconnects by itself; until it has, commands fail fast.
      List<Message> messages = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (messages == null) {
        try {
          messages = store.load("durable").messages();
        } catch (MemoryStoreException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
      List<Message> expected = new ArrayList<>();
      for (int t = 0; t < 20; t++) {
        expected.add(Message.user("q" + t));
        expected.add(Message.assistant("a" + t));
      }
      assertThat(messages).isEqualTo(expected);
      assertThat(store.load("durable").version()).isEqualTo(20);
    }
  }

  @Test
  void aFullServerRefusesTheWholeSave() {
    try (RedisServer server = RedisServer.start("--maxmemory-policy", "noeviction");
        RedisMemoryStore store = RedisMemoryStore.builder().uri(server.uri()).build();
        RedisClient client = RedisClient.create(server.uri());
        StatefulRedisConnection<String, String> admin = client.connect()) {
      store.save(update("full", 0, "first"));
      admin.sync().configSet("maxmemory", "1");

      assertThat(catchFailure(() -> store.save(update("full", 1, "second"))))
          .isInstanceOf(MemoryStoreException.class)
          .hasMessageContaining("could not save conversation 'full'")
          .hasMessageContaining("OOM");

      admin.sync().configSet("maxmemory", "0");
      assertThat(store.load("full").version()).isEqualTo(1);
      assertThat(store.load("full").messages()).containsExactly(Message.user("first"));
    }
  }

  /** The commands docs/persistence-redis.md lists for the store's ACL user, and no others. */
  @Test
  void aUserAllowedOnlyTheDocumentedCommandsCanUseTheStore() {
    try (RedisServer server =
            RedisServer.start(
                "--user",
                "colloquy",
                "on",
                ">" + PASSWORD,
                "~colloquy:*",
                "-@all",
                "+hello",
                "+evalsha",
                "+eval",
                "+hgetall",
                "+hget",
                "+hmget",
                "+hset",
                "+del",
                "+exists",
                "+type",
                "+pexpire",
                "+persist",
                "+pttl",
                "+sadd",
                "+srem",
                "+smembers",
                "+spop",
                "+scard",
                "+zadd",
                "+zrem",
                "+zrangebyscore");
        RedisMemoryStore store =
            RedisMemoryStore.builder()
                .uri("redis://colloquy:" + PASSWORD + "@127.0.0.1:" + server.port() + "/0")
                .expireAfterIdle(Duration.ofMinutes(5))
                .build()) {
      store.save(update("acl", 0, "one"));
      store.save(update("acl", 1, "two"));
      store.save(update("acl-2", 0, "three"));

      assertThat(store.load("acl").messages()).containsExactly(Message.user("two"));
      assertThat(store.list("t")).hasSize(2);
      assertThat(store.delete("acl")).isTrue();
      assertThat(store.deleteTenant("t")).isEqualTo(1);
      store.save(update("acl-3", 0, "four"));
      assertThat(store.deleteIdleSince(Instant.now().plusSeconds(1))).isEqualTo(1);
    }
  }

  private static Throwable catchFailure(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
