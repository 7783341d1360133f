package dev.colloquy.bench.memory;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.memory.redis.RedisMemoryStore;
import dev.colloquy.test.ScriptedChatModel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One agent turn (scripted model, 20-message window) with its conversation in Redis on loopback,
 * beside the same turn on the in-process store: turns per second, and the store's share of a turn's
 * time (its loads and saves, timed around the store, over the turns' own time). Each JMH thread is
 * one customer with a conversation of its own; run with {@code -t 1} and {@code -t 16}. The
 * benchmark starts its own redis-server ({@code appendonly yes}, with the {@code appendfsync} of
 * the parameter) and prints the share at the end of the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisTurnBenchmark {

  @Param({"in-memory", "redis-everysec", "redis-always"})
  public String store;

  private LoopbackRedisServer server;
  private RedisMemoryStore redis;
  private TimedStore timed;
  ChatMemory memory;
  private final AtomicInteger customers = new AtomicInteger();
  private final LongAdder turnNanos = new LongAdder();
  private final LongAdder turns = new LongAdder();
  private volatile boolean measuring;
  private long storeNanosBefore;
  private long storeNanosMeasured;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    MemoryStore target;
    if (store.startsWith("redis-")) {
      server = new LoopbackRedisServer(store.substring("redis-".length()));
      redis = RedisMemoryStore.builder().uri(server.uri()).build();
      target = redis;
    } else {
      target = InMemoryStore.create();
    }
    timed = new TimedStore(target);
    memory = ChatMemory.builder().store(timed).maxMessages(20).build();
  }

  @Setup(Level.Iteration)
  public void startIteration(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
    storeNanosBefore = timed.nanos.sum();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    if (measuring) {
      storeNanosMeasured += timed.nanos.sum() - storeNanosBefore;
    }
    measuring = false;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    double perTurn = turns.sum() == 0 ? 0 : 1.0 / turns.sum();
    System.out.printf(
        "%n[%s] store share of the turn's time: %.1f%% (store %.1f µs of %.1f µs per turn)%n",
        store,
        100.0 * storeNanosMeasured / Math.max(1, turnNanos.sum()),
        storeNanosMeasured * perTurn / 1000,
        turnNanos.sum() * perTurn / 1000);
    if (redis != null) {
      redis.close();
      server.close();
    }
  }

  /**
   * One customer: an agent of its own (the scripted model records requests) on the shared memory.
   */
  @State(Scope.Thread)
  public static class Customer {
    Agent agent;
    String conversationId;

    @Setup(Level.Trial)
    public void setUp(RedisTurnBenchmark benchmark) {
      agent =
          Agent.builder()
              .model(ScriptedChatModel.alwaysReplying("Your order 1001 ships tomorrow."))
              .system("You are the support assistant of {{shop}}.")
              .variable("shop", "Acme")
              .memory(benchmark.memory)
              .build();
      conversationId =
          "customer-" + benchmark.customers.incrementAndGet() + "-" + System.nanoTime();
      // Fill the window so every measured turn runs with 20 messages of history.
      for (int i = 0; i < 10; i++) {
        agent.chat(conversationId, "Where is order 1001?");
      }
    }
  }

  @Benchmark
  public String turn(Customer customer) {
    long start = System.nanoTime();
    String reply = customer.agent.chat(customer.conversationId, "Where is order 1001?");
    if (measuring) {
      turnNanos.add(System.nanoTime() - start);
      turns.increment();
    }
    return reply;
  }
}
