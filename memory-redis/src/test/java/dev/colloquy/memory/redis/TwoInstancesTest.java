package dev.colloquy.memory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.message.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two application instances (two stores, a client and connection each, a {@link ChatMemory} each
 * with its own per-JVM locks) drive the same 50 conversations at once: only the compare-and-set in
 * Redis keeps their turns apart.
 */
class TwoInstancesTest {

  private static final int CONVERSATIONS = 50;
  private static final int WRITERS_PER_INSTANCE = 4;
  private static final int TURNS = 3;

  @Test
  void everyTurnOfTwoInstancesLandsOnceInEachCallersOrder() throws Exception {
    long seed = new Random().nextLong();
    try (RedisServer server = RedisServer.start();
        RedisMemoryStore first = RedisMemoryStore.builder().uri(server.uri()).build();
        RedisMemoryStore second = RedisMemoryStore.builder().uri(server.uri()).build()) {
      List<ChatMemory> instances = List.of(memoryOn(first), memoryOn(second));
      ExecutorService pool = Executors.newFixedThreadPool(2 * WRITERS_PER_INSTANCE);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      try {
        for (int w = 0; w < 2 * WRITERS_PER_INSTANCE; w++) {
          ChatMemory memory = instances.get(w % 2);
          String writer = "w" + w;
          Random random = new Random(seed + w);
          done.add(
              pool.submit(
                  () -> {
                    go.await();
                    for (int t = 0; t < TURNS; t++) {
                      List<Integer> order = new ArrayList<>();
                      for (int c = 0; c < CONVERSATIONS; c++) {
                        order.add(c);
                      }
                      Collections.shuffle(order, random);
                      for (int c : order) {
                        memory.commit(
                            "shared-" + c,
                            List.of(
                                Message.user(writer + " q" + t),
                                Message.assistant(writer + " a" + t)));
                      }
                    }
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(300, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      for (int c = 0; c < CONVERSATIONS; c++) {
        List<Message> messages = first.load("shared-" + c).messages();
        assertThat(messages)
            .as("conversation %d (seed %d)", c, seed)
            .hasSize(2 * WRITERS_PER_INSTANCE * TURNS * 2);
        Map<String, Integer> next = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < messages.size(); i += 2) {
          String q = messages.get(i).text();
          String writer = q.substring(0, q.indexOf(' '));
          int turn = Integer.parseInt(q.substring(q.indexOf(" q") + 2));
          assertThat(seen.add(q)).as("turn %s appears once (seed %d)", q, seed).isTrue();
          assertThat(messages.get(i + 1).text()).isEqualTo(writer + " a" + turn);
          assertThat(turn)
              .as("%s's turns in its order in conversation %d (seed %d)", writer, c, seed)
              .isEqualTo(next.getOrDefault(writer, 0));
          next.put(writer, turn + 1);
        }
        assertThat(first.load("shared-" + c).version()).isEqualTo(2 * WRITERS_PER_INSTANCE * TURNS);
      }
    }
  }

  private static ChatMemory memoryOn(RedisMemoryStore store) {
    return ChatMemory.builder().store(store).maxMessages(1000).conflictRetries(10_000).build();
  }
}
