package dev.colloquy.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Turn;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.ConversationInfo;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.MemoryConflictException;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.memory.StoredConversation;
import dev.colloquy.core.memory.TurnRecord;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.message.UserMessage;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.test.ScriptedChatModel;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MemoryStore} passes: in-memory, JDBC and Redis alike. Extend it in a
 * store's tests and return the store from {@link #store()}.
 *
 * <p>Each test uses conversation ids and tenants of its own, so one store (one database) may serve
 * all tests. A store that several independent instances can share (a database) returns a second
 * instance, with its own connections, from {@link #otherInstance()}; the multi-writer tests then
 * run across the two.
 */
public abstract class MemoryStoreContract {

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<MemoryStore> toClose = new ArrayList<>();

  /** Returns the store under test; may return the same instance on every call. */
  protected abstract MemoryStore store();

  /**
   * Returns a second instance on the same data with its own connections, or the same instance for a
   * store that lives in one JVM (the default).
   */
  protected MemoryStore otherInstance() {
    return store();
  }

  @AfterEach
  void closeInstances() throws Exception {
    for (MemoryStore s : toClose) {
      if (s instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  private String id(String name) {
    return name + "-" + run;
  }

  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456Z");

  /** Every kind of message, with the characters that break naive encodings. */
  static List<Message> everyKind() {
    return List.of(
        new SystemMessage("You are terse. Quotes \" ' \\ and a tab\t."),
        new UserMessage("Where is order 42? 订单在哪里？ 😀 line\nbreak \u0000 nul"),
        new AssistantMessage(
            "",
            List.of(
                new ToolCall("call_1", "orderStatus", "{\"id\":42,\"note\":\"\\u00e9\"}"),
                new ToolCall("call_2", "weather.lookup", "{}"))),
        new ToolResultMessage("call_1", "orderStatus", "{\"status\":\"shipped\"}", false),
        new ToolResultMessage("call_2", "weather.lookup", "service down", true),
        new AssistantMessage("It shipped. 已发货。", List.of()),
        new AssistantMessage("Also text with calls", List.of(new ToolCall("c3", "x", "[1,2]"))),
        new ToolResultMessage("c3", "x", "", false));
  }

  @Test
  void anUnknownConversationIsAbsentAtVersionZero() {
    StoredConversation c = store().load(id("never"));

    assertThat(c.exists()).isFalse();
    assertThat(c.version()).isZero();
    assertThat(c.messages()).isEmpty();
  }

  @Test
  void everyMessageKindAndTurnRecordRoundTripsExactly() {
    List<TurnRecord> turns =
        List.of(
            new TurnRecord("tenant-" + run, "gpt-4o-mini-2024-07-18", new TokenUsage(120, 34), AT),
            new TurnRecord("tenant-" + run, "", TokenUsage.ZERO, AT.plusSeconds(1)));
    long version =
        store().save(new ConversationUpdate(id("kinds"), 0, "tenant-" + run, everyKind(), turns));

    StoredConversation c = otherInstance().load(id("kinds"));

    assertThat(version).isEqualTo(1);
    assertThat(c.version()).isEqualTo(1);
    assertThat(c.tenant()).isEqualTo("tenant-" + run);
    assertThat(c.messages()).isEqualTo(everyKind());
    assertThat(c.turns()).isEqualTo(turns);
  }

  @Test
  void aSaveReplacesTheWholeListAndCountsTheVersionUp() {
    String id = id("replace");
    store().save(update(id, 0, List.of(Message.user("a"), Message.assistant("b"))));
    store()
        .save(update(id, 1, List.of(Message.user("a"), Message.assistant("b"), Message.user("c"))));
    long v3 = store().save(update(id, 2, List.of(Message.user("c"), Message.assistant("d"))));

    StoredConversation c = store().load(id);

    assertThat(v3).isEqualTo(3);
    assertThat(c.version()).isEqualTo(3);
    assertThat(c.messages()).containsExactly(Message.user("c"), Message.assistant("d"));
  }

  @Test
  void aSaveAtAStaleVersionIsAConflictAndWritesNothing() {
    String id = id("stale");
    store().save(update(id, 0, List.of(Message.user("first"))));
    store().save(update(id, 1, List.of(Message.user("first"), Message.assistant("won"))));

    assertThatThrownBy(() -> store().save(update(id, 1, List.of(Message.user("lost")))))
        .isInstanceOf(MemoryConflictException.class)
        .hasMessageContaining(id);
    assertThatThrownBy(() -> store().save(update(id, 0, List.of(Message.user("lost")))))
        .isInstanceOf(MemoryConflictException.class);
    assertThatThrownBy(() -> store().save(update(id("absent"), 3, List.of(Message.user("x")))))
        .isInstanceOf(MemoryConflictException.class);

    StoredConversation c = store().load(id);
    assertThat(c.version()).isEqualTo(2);
    assertThat(c.messages()).containsExactly(Message.user("first"), Message.assistant("won"));
    assertThat(store().load(id("absent")).exists()).isFalse();
  }

  @Test
  void ofWritersRacingFromTheSameVersionExactlyOneWins() throws Exception {
    String id = id("race");
    store().save(update(id, 0, List.of(Message.user("start"))));
    int writers = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        MemoryStore target = w % 2 == 0 ? store() : otherInstance();
        String text = "writer " + w;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    target.save(update(id, 1, List.of(Message.user("start"), Message.user(text))));
                    return true;
                  } catch (MemoryConflictException e) {
                    return false;
                  }
                }));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> r : results) {
        won += r.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    StoredConversation c = store().load(id);
    assertThat(c.version()).isEqualTo(2);
    assertThat(c.messages()).hasSize(2).startsWith(Message.user("start"));
  }

  @Test
  void twoInstancesCommittingTheSameConversationsLoseAndInterleaveNothing() throws Exception {
    ChatMemory one =
        ChatMemory.builder().store(store()).maxMessages(1000).conflictRetries(1000).build();
    ChatMemory two =
        ChatMemory.builder().store(otherInstance()).maxMessages(1000).conflictRetries(1000).build();
    int conversations = 5;
    int turnsPerWriter = 10;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        ChatMemory memory = w % 2 == 0 ? one : two;
        String writer = "w" + w;
        done.add(
            pool.submit(
                () -> {
                  for (int t = 0; t < turnsPerWriter; t++) {
                    for (int c = 0; c < conversations; c++) {
                      memory.commit(
                          id("shared-" + c),
                          List.of(
                              Message.user(writer + " q" + t),
                              Message.assistant(writer + " a" + t)));
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int c = 0; c < conversations; c++) {
      List<Message> messages = store().load(id("shared-" + c)).messages();
      assertThat(messages).hasSize(4 * turnsPerWriter * 2);
      Map<String, Integer> next = new ConcurrentHashMap<>();
      for (int i = 0; i < messages.size(); i += 2) {
        String q = messages.get(i).text();
        String a = messages.get(i + 1).text();
        String writer = q.substring(0, q.indexOf(' '));
        int turn = Integer.parseInt(q.substring(q.indexOf('q') + 1));
        // A question is followed by its own answer, and each writer's turns come in its order.
        assertThat(a).isEqualTo(writer + " a" + turn);
        assertThat(turn).isEqualTo(next.getOrDefault(writer, 0));
        next.put(writer, turn + 1);
      }
    }
  }

  @Test
  void aTurnCommittedThroughAnAgentKeepsItsRecord() {
    Agent agent =
        Agent.builder()
            .model(ScriptedChatModel.builder().reply("fine").build())
            .memory(ChatMemory.builder().store(store()).build())
            .build();

    agent.run(Turn.of(id("agent"), "Hello").withTenant("t-" + run));

    StoredConversation c = otherInstance().load(id("agent"));
    assertThat(c.messages()).containsExactly(Message.user("Hello"), Message.assistant("fine"));
    assertThat(c.tenant()).isEqualTo("t-" + run);
    assertThat(c.turns()).hasSize(1);
    assertThat(c.turns().get(0).tenant()).isEqualTo("t-" + run);
  }

  @Test
  void deleteForgetsOneConversation() {
    store().save(update(id("del-a"), 0, List.of(Message.user("a"))));
    store().save(update(id("del-b"), 0, List.of(Message.user("b"))));

    assertThat(store().delete(id("del-a"))).isTrue();
    assertThat(store().delete(id("del-a"))).isFalse();

    assertThat(store().load(id("del-a")).exists()).isFalse();
    assertThat(store().load(id("del-b")).messages()).containsExactly(Message.user("b"));
    // A deleted conversation starts again from version 0.
    assertThat(store().save(update(id("del-a"), 0, List.of(Message.user("again"))))).isEqualTo(1);
  }

  @Test
  void aTenantsConversationsAreListedAndForgottenTogether() throws Exception {
    String alice = "alice-" + run;
    String bob = "bob-" + run;
    store().save(new ConversationUpdate(id("a1"), 0, alice, List.of(Message.user("1")), List.of()));
    pause();
    store()
        .save(
            new ConversationUpdate(
                id("a2"), 0, alice, List.of(Message.user("1"), Message.user("2")), List.of()));
    store().save(new ConversationUpdate(id("b1"), 0, bob, List.of(Message.user("1")), List.of()));

    List<ConversationInfo> list = otherInstance().list(alice);
    assertThat(list).extracting(ConversationInfo::id).containsExactly(id("a2"), id("a1"));
    assertThat(list).extracting(ConversationInfo::messageCount).containsExactly(2, 1);
    assertThat(list).allSatisfy(i -> assertThat(i.tenant()).isEqualTo(alice));

    assertThat(store().deleteTenant(alice)).isEqualTo(2);

    assertThat(store().list(alice)).isEmpty();
    assertThat(store().load(id("a1")).exists()).isFalse();
    assertThat(store().load(id("a2")).exists()).isFalse();
    assertThat(store().list(bob)).extracting(ConversationInfo::id).containsExactly(id("b1"));
    assertThat(store().deleteTenant("nobody-" + run)).isZero();
  }

  @Test
  void theRetentionSweepForgetsOnlyConversationsIdleSinceTheCutoff() throws Exception {
    store().save(update(id("old"), 0, List.of(Message.user("old"))));
    pause();
    Instant cutoff = Instant.now();
    pause();
    store().save(update(id("new"), 0, List.of(Message.user("new"))));

    assertThat(store().deleteIdleSince(cutoff)).isGreaterThanOrEqualTo(1);

    assertThat(store().load(id("old")).exists()).isFalse();
    assertThat(store().load(id("new")).exists()).isTrue();
  }

  @Test
  void updatedAtFollowsTheLastSave() throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    store().save(update(id("time"), 0, List.of(Message.user("x"))));
    Instant after = Instant.now().plusMillis(1);

    Instant updated = store().load(id("time")).updatedAt();

    assertThat(updated).isBetween(before.minusMillis(1), after);
  }

  @Test
  void idsAndTenantsWithAnyCharactersAreKeptApart() {
    List<String> ids =
        List.of(
            id("a:b"), id("a*b"), id("a%b"), id("a_b"), id("a'b"), id("a\"b"), id("会话"), id("a b"));
    for (String id : ids) {
      store().save(update(id, 0, List.of(Message.user(id))));
    }
    for (String id : ids) {
      assertThat(store().load(id).messages()).containsExactly(Message.user(id));
    }
    assertThat(store().list("tenant*").stream().map(ConversationInfo::id)).noneMatch(ids::contains);
  }

  @Test
  void aLongConversationRoundTrips() {
    List<Message> many = new ArrayList<>();
    String big = "x".repeat(100_000);
    for (int i = 0; i < 500; i++) {
      many.add(i % 2 == 0 ? Message.user("q" + i) : Message.assistant(i == 1 ? big : "a" + i));
    }
    store().save(update(id("long"), 0, many));

    assertThat(store().load(id("long")).messages()).isEqualTo(many);
  }

  @Test
  void concurrentCommitsOfDifferentConversationsAllLand() throws Exception {
    ChatMemory memory = ChatMemory.builder().store(store()).maxMessages(100).build();
    AtomicInteger failures = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    try {
      for (int c = 0; c < 16; c++) {
        String id = id("many-" + c);
        ids.add(id);
        pool.submit(
            () -> {
              try {
                for (int t = 0; t < 5; t++) {
                  memory.commit(id, List.of(Message.user("q" + t), Message.assistant("a" + t)));
                }
              } catch (RuntimeException e) {
                failures.incrementAndGet();
              }
            });
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(failures).hasValue(0);
    for (String id : ids) {
      assertThat(store().load(id).messages()).hasSize(10);
      assertThat(store().load(id).version()).isEqualTo(5);
    }
  }

  private ConversationUpdate update(String id, long expected, List<Message> messages) {
    return new ConversationUpdate(id, expected, "tenant-" + run, messages, List.of());
  }

  // Stores stamp saves with their clock; a few milliseconds put two saves apart on any of them.
  private static void pause() throws InterruptedException {
    Thread.sleep(15);
  }
}
