package dev.colloquy.memory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.message.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two application instances (two stores, each with connections of its own, each with its own {@link
 * ChatMemory} and so its own per-JVM locks) drive the same 50 conversations at once: every turn
 * lands exactly once, whole, and each writer's turns keep that writer's order.
 */
class TwoInstancesTest {

  private static final int CONVERSATIONS = 50;
  private static final int WRITERS_PER_INSTANCE = 2;
  private static final int TURNS_PER_CONVERSATION_PER_WRITER = 3;

  @Test
  void onPostgresqlWithTwoPoolsEveryTurnLandsOnceInEachCallersOrder() throws Exception {
    String database = TestDatabases.newPostgresDatabase("two");
    try (HikariDataSource poolOne = TestDatabases.pool(database, 4);
        HikariDataSource poolTwo = TestDatabases.pool(database, 4);
        JdbcMemoryStore one = JdbcMemoryStore.builder().dataSource(poolOne).build();
        JdbcMemoryStore two = JdbcMemoryStore.builder().dataSource(poolTwo).build()) {
      driveAndCheck(one, two, "pg");
    }
  }

  @Test
  void onOneSqliteFileOpenedTwiceEveryTurnLandsOnceInEachCallersOrder() throws Exception {
    var file = TestDatabases.newSqliteFile("two");
    try (JdbcMemoryStore one = JdbcMemoryStore.sqlite(file);
        JdbcMemoryStore two = JdbcMemoryStore.sqlite(file)) {
      driveAndCheck(one, two, "sqlite");
    }
  }

  private static void driveAndCheck(MemoryStore one, MemoryStore two, String label)
      throws Exception {
    List<ChatMemory> instances = new ArrayList<>();
    for (MemoryStore store : List.of(one, two)) {
      instances.add(
          ChatMemory.builder().store(store).maxMessages(10_000).conflictRetries(10_000).build());
    }
    List<String> ids = new ArrayList<>();
    for (int c = 0; c < CONVERSATIONS; c++) {
      ids.add(label + "-conversation-" + c);
    }
    int writers = instances.size() * WRITERS_PER_INSTANCE;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        ChatMemory memory = instances.get(w % instances.size());
        String writer = "w" + w;
        List<String> order = new ArrayList<>(ids);
        Random random = new Random(w);
        done.add(
            pool.submit(
                () -> {
                  for (int t = 0; t < TURNS_PER_CONVERSATION_PER_WRITER; t++) {
                    Collections.shuffle(order, random);
                    for (String id : order) {
                      memory.commit(
                          id,
                          List.of(
                              Message.user(writer + " q" + t),
                              Message.assistant(writer + " a" + t)));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(150, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (String id : ids) {
      List<Message> messages = two.load(id).messages();
      assertThat(messages).as(id).hasSize(writers * TURNS_PER_CONVERSATION_PER_WRITER * 2);
      Map<String, Integer> next = new HashMap<>();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < messages.size(); i += 2) {
        Message q = messages.get(i);
        Message a = messages.get(i + 1);
        assertThat(q.role()).as(id + " message " + i).isEqualTo(Message.Role.USER);
        String writer = q.text().substring(0, q.text().indexOf(' '));
        int turn = Integer.parseInt(q.text().substring(q.text().indexOf('q') + 1));
        assertThat(a)
            .as(id + ": a question is followed by its own answer")
            .isEqualTo(Message.assistant(writer + " a" + turn));
        assertThat(seen.add(q.text())).as(id + ": " + q.text() + " once").isTrue();
        assertThat(turn)
            .as(id + ": " + writer + "'s turns in its order")
            .isEqualTo(next.getOrDefault(writer, 0));
        next.put(writer, turn + 1);
      }
      assertThat(two.load(id).version()).isEqualTo(writers * TURNS_PER_CONVERSATION_PER_WRITER);
    }
  }
}
