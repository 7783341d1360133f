package dev.colloquy.bench.core;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One agent turn over an instant in-process model with a full 20-message window: the framework's
 * own cost per turn (prompt rendering, memory load and commit, request validation, locking).
 * Compare with the peers' figures in docs/benchmarks.md (LangChain4j 5.4 µs, Spring AI 11.6 µs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AgentTurnBenchmark {

  private Agent agent;

  @Setup
  public void setUp() {
    agent =
        Agent.builder()
            .model(new InstantChatModel("Your order 1001 ships tomorrow."))
            .system("You are the support assistant of {{shop}}.")
            .variable("shop", "Acme")
            .memory(ChatMemory.window(20))
            .build();
    // Fill the window so every measured turn runs with 20 messages of history.
    for (int i = 0; i < 10; i++) {
      agent.chat("customer-42", "Where is order 1001?");
    }
  }

  @Benchmark
  public String turnWithFullWindow() {
    return agent.chat("customer-42", "Where is order 1001?");
  }
}
