package dev.colloquy.memory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.memory.ConversationInfo;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.CorruptConversationException;
import dev.colloquy.core.memory.MemoryStoreException;
import dev.colloquy.core.memory.StoredConversation;
import dev.colloquy.core.memory.TurnRecord;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.test.FakeClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the Redis store does beyond the shared contract: its keys, expiry, corruption, scripts. */
class RedisMemoryStoreTest {

  private static RedisServer server;
  private static RedisClient inspectorClient;
  private static StatefulRedisConnection<String, String> inspectorConnection;
  // A plain connection that looks at (and breaks) what the store wrote.
  private static RedisCommands<String, String> redis;

  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
    inspectorClient = RedisClient.create(server.uri());
    inspectorConnection = inspectorClient.connect();
    redis = inspectorConnection.sync();
  }

  @AfterAll
  static void stopRedis() {
    inspectorConnection.close();
    inspectorClient.shutdown();
    server.close();
  }

  private RedisMemoryStore.Builder store() {
    return RedisMemoryStore.builder().uri(server.uri()).keyPrefix("t-" + run + ":");
  }

  private String prefix() {
    return "t-" + run + ":";
  }

  private static ConversationUpdate update(
      String id, long expected, String tenant, List<Message> messages) {
    return new ConversationUpdate(id, expected, tenant, messages, List.of());
  }

  @Test
  void aConversationIsOneHashAndTheIndexesNameItByItsCodes() {
    Instant at = Instant.parse("2026-03-04T05:06:07.123456789Z");
    TurnRecord turn = new TurnRecord("acme/eu", "gpt-x", new TokenUsage(3, 4), at);
    try (RedisMemoryStore store = store().clock(FakeClock.at(at)).build()) {
      store.save(
          new ConversationUpdate(
              "order 42:ü",
              0,
              "acme/eu",
              List.of(Message.user("hi"), Message.assistant("hello")),
              List.of(turn)));
    }

    String key = prefix() + "conversation:order%2042%3A%C3%BC";
    assertThat(redis.type(key)).isEqualTo("hash");
    assertThat(redis.hgetall(key))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "id", "order 42:ü",
                "tenant", "acme/eu",
                "tenantCode", "acme%2Feu",
                "version", "1",
                "updatedAt", "2026-03-04T05:06:07.123456Z",
                "messages", "2",
                "turns", "1",
                "message:0", "{\"kind\":\"user\",\"text\":\"hi\"}",
                "message:1", "{\"kind\":\"assistant\",\"text\":\"hello\",\"toolCalls\":[]}",
                "turn:0",
                    "{\"tenant\":\"acme/eu\",\"modelId\":\"gpt-x\",\"inputTokens\":3,"
                        + "\"outputTokens\":4,\"committedAt\":\"2026-03-04T05:06:07.123456789Z\"}"));
    assertThat(redis.smembers(prefix() + "tenant:acme%2Feu"))
        .containsExactly("order%2042%3A%C3%BC");
    assertThat(redis.zscore(prefix() + "updated", "acme%2Feu:order%2042%3A%C3%BC"))
        .isEqualTo(1772600767123456.0);
    assertThat(redis.keys(prefix() + "*"))
        .containsExactlyInAnyOrder(key, prefix() + "tenant:acme%2Feu", prefix() + "updated");
  }

  @Test
  void idsThatLookLikeAnotherIdsCodeGetKeysOfTheirOwn() {
    List<String> ids = List.of("a:b", "a%3Ab", "a%253Ab", "a b", "a+b", "a/b", "A:B", "a:b ");
    try (RedisMemoryStore store = store().build()) {
      for (String id : ids) {
        store.save(update(id, 0, "t", List.of(Message.user(id))));
      }
      for (String id : ids) {
        assertThat(store.load(id).messages()).containsExactly(Message.user(id));
      }
      assertThat(store.list("t")).extracting(ConversationInfo::id).hasSameElementsAs(ids);
    }
    assertThat(redis.keys(prefix() + "conversation:*")).hasSize(ids.size());
  }

  @Test
  void storesWithDifferentPrefixesDoNotSeeEachOther() {
    try (RedisMemoryStore one = store().build();
        RedisMemoryStore two =
            RedisMemoryStore.builder().uri(server.uri()).keyPrefix("other-" + run + ":").build()) {
      one.save(update("same", 0, "t", List.of(Message.user("one"))));

      assertThat(two.load("same").exists()).isFalse();
      assertThat(two.list("t")).isEmpty();
      assertThat(two.deleteIdleSince(Instant.now().plusSeconds(60))).isZero();
      assertThat(one.load("same").messages()).containsExactly(Message.user("one"));
    }
  }

  @Test
  void everySaveSetsTheNativeExpiryAndTheIndexesLiveAsLongAsTheirConversations() {
    try (RedisMemoryStore store = store().expireAfterIdle(Duration.ofMinutes(1)).build()) {
      String key = prefix() + "conversation:c1";
      String tenantIndex = prefix() + "tenant:t";
      String updatedIndex = prefix() + "updated";

      store.save(update("c1", 0, "t", List.of(Message.user("1"))));
      assertThat(redis.pttl(key)).isBetween(1L, 60_000L).isGreaterThan(50_000L);
      assertThat(redis.pttl(tenantIndex)).isGreaterThan(50_000L);
      assertThat(redis.pttl(updatedIndex)).isGreaterThan(50_000L);

      // The next save sets it again; the indexes are extended, never shortened.
      redis.persist(key);
      redis.pexpire(tenantIndex, 500);
      redis.pexpire(updatedIndex, 600_000);
      store.save(update("c1", 1, "t", List.of(Message.user("1"), Message.user("2"))));
      assertThat(redis.pttl(key)).isBetween(50_000L, 60_000L);
      assertThat(redis.pttl(tenantIndex)).isBetween(50_000L, 60_000L);
      assertThat(redis.pttl(updatedIndex)).isGreaterThan(500_000L);
    }
    try (RedisMemoryStore keeping = store().build()) {
      // A store without expiry keeps what it saves, and the indexes with it.
      keeping.save(update("c1", 2, "t", List.of(Message.user("kept"))));
      assertThat(redis.pttl(prefix() + "conversation:c1")).isEqualTo(-1);
      assertThat(redis.pttl(prefix() + "tenant:t")).isEqualTo(-1);
      assertThat(redis.pttl(prefix() + "updated")).isEqualTo(-1);
    }
  }

  @Test
  void anExpiredConversationIsGoneAndNotListedAndItsIndexEntriesAreCleaned() throws Exception {
    try (RedisMemoryStore store = store().expireAfterIdle(Duration.ofMillis(300)).build()) {
      store.save(update("short", 0, "t", List.of(Message.user("soon gone"))));
      assertThat(store.list("t")).extracting(ConversationInfo::id).containsExactly("short");
      // The indexes outlive it; make them outlive it for sure, to see the cleaning.
      redis.persist(prefix() + "tenant:t");
      redis.persist(prefix() + "updated");

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (store.load("short").exists() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      assertThat(store.load("short").exists()).isFalse();
      assertThat(redis.sismember(prefix() + "tenant:t", "short")).isTrue();
      assertThat(store.list("t")).isEmpty();
      assertThat(redis.sismember(prefix() + "tenant:t", "short")).isFalse();
      assertThat(redis.zscore(prefix() + "updated", "t:short")).isNull();
    }
  }

  @Test
  void aSaveDropsIndexEntriesOfConversationsThatExpiredUnlisted() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-05-01T00:00:00Z"));
    try (RedisMemoryStore store =
        store().expireAfterIdle(Duration.ofSeconds(10)).clock(clock).build()) {
      store.save(update("old", 0, "quiet", List.of(Message.user("x"))));
      redis.del(prefix() + "conversation:old"); // as Redis does when its TTL runs out
      clock.advance(Duration.ofSeconds(11));

      store.save(update("new", 0, "busy", List.of(Message.user("y"))));

      assertThat(redis.zscore(prefix() + "updated", "quiet:old")).isNull();
      assertThat(redis.exists(prefix() + "tenant:quiet")).isZero();
      assertThat(redis.zscore(prefix() + "updated", "busy:new")).isNotNull();
    }
  }

  @Test
  void aConversationDeletedAndStartedAgainForAnotherTenantIsListedOnlyThere() {
    try (RedisMemoryStore store = store().build()) {
      store.save(update("c", 0, "alice", List.of(Message.user("a"))));
      redis.del(prefix() + "conversation:c"); // gone without the store (expired, by hand)
      store.save(update("c", 0, "bob", List.of(Message.user("b"))));

      assertThat(store.list("alice")).isEmpty();
      assertThat(store.list("bob")).extracting(ConversationInfo::id).containsExactly("c");
      assertThat(store.deleteTenant("alice")).isZero();
      assertThat(store.load("c").tenant()).isEqualTo("bob");
      assertThat(store.deleteIdleSince(Instant.now().plusSeconds(1))).isEqualTo(1);
      assertThat(store.load("c").exists()).isFalse();
      assertThat(redis.keys(prefix() + "*")).isEmpty();
    }
  }

  @Test
  void theTenantOfTheFirstSaveIsKept() {
    try (RedisMemoryStore store = store().build()) {
      store.save(update("c", 0, "first", List.of(Message.user("a"))));
      store.save(update("c", 1, "second", List.of(Message.user("a"), Message.user("b"))));

      assertThat(store.load("c").tenant()).isEqualTo("first");
      assertThat(store.list("second")).isEmpty();
      assertThat(store.list("first")).extracting(ConversationInfo::messageCount).containsExactly(2);
    }
  }

  @Test
  void aCorruptEntryNamesTheConversationAndTheEntryAndSparesTheOthers() {
    try (RedisMemoryStore store = store().build()) {
      List<Message> three = List.of(Message.user("q"), Message.assistant("a"), Message.user("q2"));
      store.save(
          new ConversationUpdate(
              "broken", 0, "t", three, List.of(TurnRecord.manual(Instant.EPOCH))));
      store.save(update("fine", 0, "t", List.of(Message.user("untouched"))));
      String key = prefix() + "conversation:broken";

      redis.hset(key, "message:1", "{\"kind\":\"assistant\",\"text\":");
      assertThatThrownBy(() -> store.load("broken"))
          .isInstanceOfSatisfying(
              CorruptConversationException.class,
              e -> assertThat(e.conversationId()).isEqualTo("broken"))
          .hasMessageContaining("conversation 'broken'")
          .hasMessageContaining("message 1 of 3, field 'message:1': broken JSON")
          .hasMessageContaining(key);
      assertThat(store.load("fine").messages()).containsExactly(Message.user("untouched"));

      redis.hset(key, "message:1", "{\"kind\":\"robot\",\"text\":\"beep\"}");
      assertThatThrownBy(() -> store.load("broken"))
          .isInstanceOf(CorruptConversationException.class)
          .hasMessageContaining("message 1 of 3")
          .hasMessageContaining("unknown message kind 'robot'");

      redis.hset(key, "message:1", "{\"kind\":\"assistant\",\"text\":\"a\",\"toolCalls\":[]}");
      redis.hset(key, "turn:0", "{\"tenant\":\"t\"}");
      assertThatThrownBy(() -> store.load("broken"))
          .isInstanceOf(CorruptConversationException.class)
          .hasMessageContaining("turn record 0 of 1, field 'turn:0'");

      redis.hdel(key, "turn:0");
      assertThatThrownBy(() -> store.load("broken"))
          .isInstanceOf(CorruptConversationException.class)
          .hasMessageContaining("turn record 0 of 1 is missing");

      redis.hset(key, "version", "seven");
      assertThatThrownBy(() -> store.load("broken"))
          .isInstanceOf(CorruptConversationException.class)
          .hasMessageContaining("field 'version' is 'seven', not an integer");
      assertThatThrownBy(() -> store.list("t"))
          .isInstanceOf(CorruptConversationException.class)
          .hasMessageContaining("conversation 'broken'");
      // A save cannot match a version it cannot read, so it never writes over the damage.
      assertThatThrownBy(() -> store.save(update("broken", 0, "t", three)))
          .hasMessageContaining("changed by another writer");

      // The damaged conversation can still be forgotten, and the others are served.
      assertThat(store.delete("broken")).isTrue();
      assertThat(store.list("t")).extracting(ConversationInfo::id).containsExactly("fine");
    }
  }

  @Test
  void aSaveThatCouldNotUpdateAnIndexWritesNothing() {
    try (RedisMemoryStore store = store().build()) {
      store.save(update("c", 0, "t", List.of(Message.user("1"))));
      redis.del(prefix() + "tenant:t");
      redis.set(prefix() + "tenant:t", "not a set");

      assertThatThrownBy(
              () -> store.save(update("c", 1, "t", List.of(Message.user("1"), Message.user("2")))))
          .isInstanceOf(MemoryStoreException.class)
          .hasMessageContaining("could not save conversation 'c'")
          .hasMessageContaining("holds a string, not a set; nothing was saved");
      assertThat(store.load("c").version()).isEqualTo(1);
      assertThat(store.load("c").messages()).containsExactly(Message.user("1"));
    }
  }

  @Test
  void aKeyOfAnotherTypeIsACorruptConversation() {
    try (RedisMemoryStore store = store().build()) {
      redis.set(prefix() + "conversation:plain", "a string, not a hash");

      assertThatThrownBy(() -> store.load("plain"))
          .isInstanceOfSatisfying(
              CorruptConversationException.class,
              e -> assertThat(e.conversationId()).isEqualTo("plain"))
          .hasMessageContaining("WRONGTYPE");

      // It belongs to no tenant, spoils no listing, and can be deleted.
      store.save(update("neighbour", 0, "t", List.of(Message.user("x"))));
      redis.sadd(prefix() + "tenant:t", "plain");
      redis.zadd(prefix() + "updated", 1.0, "t:plain");
      assertThat(store.list("t")).extracting(ConversationInfo::id).containsExactly("neighbour");
      assertThat(store.deleteIdleSince(Instant.EPOCH.plusSeconds(1))).isZero();
      assertThat(store.delete("plain")).isTrue();
      assertThat(redis.exists(prefix() + "conversation:plain")).isZero();
      assertThat(store.deleteTenant("t")).isEqualTo(1);
    }
  }

  @Test
  void aServerThatForgotTheScriptsIsSentThemAgain() {
    try (RedisMemoryStore store = store().build()) {
      store.save(update("c", 0, "t", List.of(Message.user("1"))));
      redis.scriptFlush();

      assertThat(store.save(update("c", 1, "t", List.of(Message.user("2"))))).isEqualTo(2);
      assertThat(store.list("t")).hasSize(1);
      assertThat(redis.scriptExists(LuaScript.SAVE.sha1(), LuaScript.LIST.sha1()))
          .containsExactly(true, true);
    }
  }

  @Test
  void forgettingATenantLargerThanOneBatchForgetsItAll() {
    try (RedisMemoryStore store = store().build()) {
      for (int i = 0; i < 600; i++) {
        store.save(update("c" + i, 0, i % 3 == 0 ? "other" : "big", List.of(Message.user("x"))));
      }

      assertThat(store.deleteTenant("big")).isEqualTo(400);
      assertThat(store.list("big")).isEmpty();
      assertThat(store.list("other")).hasSize(200);
      assertThat(store.deleteIdleSince(Instant.now().plusSeconds(1))).isEqualTo(200);
      assertThat(redis.keys(prefix() + "*")).isEmpty();
    }
  }

  @Test
  void theRetentionSweepComparesToTheMicrosecond() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-05-01T00:00:00.000001500Z"));
    try (RedisMemoryStore store = store().clock(clock).build()) {
      store.save(update("c", 0, "t", List.of(Message.user("x"))));
      StoredConversation saved = store.load("c");
      assertThat(saved.updatedAt()).isEqualTo(Instant.parse("2026-05-01T00:00:00.000001Z"));

      assertThat(store.deleteIdleSince(saved.updatedAt())).isZero();
      assertThat(store.deleteIdleSince(saved.updatedAt().plusNanos(1))).isEqualTo(1);
    }
  }

  @Test
  void aClientTheApplicationOwnsIsLeftOpenOnClose() {
    RedisClient client = RedisClient.create(server.uri());
    try {
      try (RedisMemoryStore store = RedisMemoryStore.builder().client(client).build()) {
        store.save(update("owned-" + run, 0, "t", List.of(Message.user("x"))));
        assertThat(store.toString()).contains("the application's RedisClient");
      }
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        assertThat(c.sync().exists("colloquy:conversation:owned-" + run)).isEqualTo(1);
      }
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aClosedStoreSaysSo() {
    RedisMemoryStore store = store().build();
    store.load("c");
    store.close();
    store.close();

    assertThatThrownBy(() -> store.load("c"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
