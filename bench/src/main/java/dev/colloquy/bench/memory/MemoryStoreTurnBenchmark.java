package dev.colloquy.bench.memory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.ConversationInfo;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.memory.StoredConversation;
import dev.colloquy.memory.jdbc.JdbcMemoryStore;
import dev.colloquy.test.ScriptedChatModel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One agent turn with a full 20-message window, the conversation kept in a store: in memory (the
 * baseline), in a SQLite file ({@code JdbcMemoryStore.sqlite}: WAL, synchronous=FULL) and in
 * PostgreSQL on loopback (zonky's embedded server with fsync and synchronous_commit on, a HikariCP
 * pool of 16). Each thread is one user with a conversation of its own; the model is the test kit's
 * scripted model answering at once. Reported per store and thread count: turns per second, the mean
 * time of a turn, the time spent inside the store per turn (a turn loads the conversation twice,
 * for its history and for its commit, and saves once) and that time's share of the turn.
 *
 * <p>Not JMH: throughput over many threads and a decorator's clock in one table. Run: {@code java
 * -cp bench/target/benchmarks.jar dev.colloquy.bench.memory.MemoryStoreTurnBenchmark [seconds]
 * [warm-up seconds] [threads,...] [memory,sqlite,postgresql]} (defaults 5, 3, 1,16, all three).
 */
public final class MemoryStoreTurnBenchmark {

  private static final String QUESTION = "Where is order 1001? It should have arrived by now.";
  private static final String ANSWER =
      "Your order 1001 left the warehouse today and ships tomorrow.";
  // The scripted model records every request: a fresh one every so many turns bounds the heap.
  private static final int TURNS_PER_MODEL = 2_000;

  private MemoryStoreTurnBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    List<Integer> threadCounts = new ArrayList<>();
    for (String t : (args.length > 2 ? args[2] : "1,16").split(",")) {
      threadCounts.add(Integer.parseInt(t));
    }
    List<String> stores =
        List.of((args.length > 3 ? args[3] : "memory,sqlite,postgresql").split(","));
    System.out.printf(
        Locale.ROOT,
        "%-11s %7s %12s %14s %16s %12s%n",
        "store",
        "threads",
        "turns/s",
        "turn (mean)",
        "in store/turn",
        "store share");
    for (String kind : stores) {
      try (Target target = Target.open(kind)) {
        for (int threads : threadCounts) {
          Result r = run(target.store, threads, seconds, warmup, kind + "-" + threads);
          System.out.printf(
              Locale.ROOT,
              "%-11s %7d %12.0f %11.1f µs %13.1f µs %11.0f %%%n",
              kind,
              threads,
              r.turnsPerSecond(),
              r.turnMicros(),
              r.storeMicros(),
              100 * r.storeMicros() / r.turnMicros());
        }
      }
    }
  }

  private record Result(double turnsPerSecond, double turnMicros, double storeMicros) {}

  private static Result run(
      TimingStore store, int threads, double seconds, double warmup, String label)
      throws Exception {
    ChatMemory memory = ChatMemory.window(20, store);
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder turns = new LongAdder();
    LongAdder turnNanos = new LongAdder();
    LongAdder storeNanos = new LongAdder();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String conversation = label + "-user-" + t + "-" + System.nanoTime();
      Thread worker =
          new Thread(
              () -> {
                boolean counted = false;
                try {
                  Agent agent = agent(memory);
                  // Fill the window: every measured turn runs with 20 messages of history.
                  for (int i = 0; i < 10; i++) {
                    agent.chat(conversation, QUESTION);
                  }
                  ready.countDown();
                  counted = true;
                  for (int n = 1; !stop.get(); n++) {
                    if (n % TURNS_PER_MODEL == 0) {
                      agent = agent(memory);
                    }
                    long inStore = store.threadNanos();
                    long start = System.nanoTime();
                    agent.chat(conversation, QUESTION);
                    long took = System.nanoTime() - start;
                    if (measuring.get()) {
                      turns.increment();
                      turnNanos.add(took);
                      storeNanos.add(store.threadNanos() - inStore);
                    }
                  }
                } catch (RuntimeException e) {
                  failure.compareAndSet(null, e);
                  stop.set(true);
                } finally {
                  if (!counted) {
                    ready.countDown();
                  }
                }
              });
      worker.start();
      workers.add(worker);
    }
    ready.await();
    Thread.sleep((long) (warmup * 1000));
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(label + " failed", failure.get());
    }
    long n = turns.sum();
    return new Result(n / (elapsed / 1e9), turnNanos.sum() / 1e3 / n, storeNanos.sum() / 1e3 / n);
  }

  private static Agent agent(ChatMemory memory) {
    return Agent.builder()
        .model(ScriptedChatModel.alwaysReplying(ANSWER))
        .system("You are the support assistant of {{shop}}.")
        .variable("shop", "Acme")
        .memory(memory)
        .build();
  }

  /** A store and what it runs on. */
  private static final class Target implements AutoCloseable {
    final TimingStore store;
    private final List<AutoCloseable> resources;

    private Target(MemoryStore store, List<AutoCloseable> resources) {
      this.store = new TimingStore(store);
      this.resources = resources;
    }

    static Target open(String kind) throws Exception {
      switch (kind) {
        case "memory":
          return new Target(InMemoryStore.create(), List.of());
        case "sqlite":
          {
            Path dir = Files.createDirectories(Path.of("target", "bench-sqlite"));
            Path file = Files.createTempDirectory(dir, "memory").resolve("memory.db");
            JdbcMemoryStore store = JdbcMemoryStore.sqlite(file);
            return new Target(store, List.of(store));
          }
        case "postgresql":
          {
            // Durable commits, as in production: zonky turns fsync and synchronous_commit off.
            EmbeddedPostgres postgres =
                EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
            config.setMaximumPoolSize(16);
            HikariDataSource pool = new HikariDataSource(config);
            JdbcMemoryStore store = JdbcMemoryStore.builder().dataSource(pool).build();
            return new Target(store, List.of(store, pool, postgres));
          }
        default:
          throw new IllegalArgumentException(
              "unknown store '" + kind + "'; expected memory, sqlite or postgresql");
      }
    }

    @Override
    public void close() throws Exception {
      for (AutoCloseable r : resources) {
        r.close();
      }
    }
  }

  /** Adds up the time each thread spends inside the store. */
  private static final class TimingStore implements MemoryStore {
    private final ThreadLocal<long[]> nanos = ThreadLocal.withInitial(() -> new long[1]);
    private final MemoryStore store;

    TimingStore(MemoryStore store) {
      this.store = store;
    }

    /** Returns the time the calling thread has spent inside the store so far. */
    long threadNanos() {
      return nanos.get()[0];
    }

    @Override
    public StoredConversation load(String conversationId) {
      long start = System.nanoTime();
      try {
        return store.load(conversationId);
      } finally {
        nanos.get()[0] += System.nanoTime() - start;
      }
    }

    @Override
    public long save(ConversationUpdate update) {
      long start = System.nanoTime();
      try {
        return store.save(update);
      } finally {
        nanos.get()[0] += System.nanoTime() - start;
      }
    }

    @Override
    public boolean delete(String conversationId) {
      return store.delete(conversationId);
    }

    @Override
    public List<ConversationInfo> list(String tenant) {
      return store.list(tenant);
    }

    @Override
    public int deleteTenant(String tenant) {
      return store.deleteTenant(tenant);
    }

    @Override
    public int deleteIdleSince(Instant cutoff) {
      return store.deleteIdleSince(cutoff);
    }
  }
}
