package dev.colloquy.bench.hardening;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.cache.ResponseCache;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.observe.ChatEvent;
import dev.colloquy.core.observe.ListeningChatModel;
import dev.colloquy.core.resilience.FallbackChatModel;
import dev.colloquy.core.resilience.ResiliencePolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Overhead of the full production stack over an instant in-process model: {@code
 * Listening(Cache(Fallback(Retry(CircuitBreaker(RateLimiter(TimeLimit(Bulkhead(model))))),
 * local)))}.
 *
 * <ul>
 *   <li>{@code bare}: the instant model alone (the floor);
 *   <li>{@code stackHit}: the same deterministic request every time, answered from the cache and
 *       replayed as a stream;
 *   <li>{@code stackMiss}: a different request every time (a counter in the text), so every call
 *       goes through every decorator to the model; {@code bareFreshRequest} is its floor, the same
 *       request building without the stack.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProductionDecoratorsBenchmark {

  private static final ChatOptions GREEDY = ChatOptions.builder().temperature(0).build();
  private static final ChatResponse REPLY =
      new ChatResponse(
          AssistantMessage.of("Order 1001 ships tomorrow."),
          FinishReason.STOP,
          new TokenUsage(40, 8),
          "instant");

  private ChatModel bare;
  private ChatModel stack;
  private ChatRequest fixed;
  private long counter;
  private StreamListener sink;

  /** A model that answers at once with one delta. */
  static final class InstantModel implements ChatModel {
    @Override
    public ModelCapabilities capabilities() {
      return new ModelCapabilities(4096, true, true, true, true);
    }

    @Override
    public ChatResponse generate(
        ChatRequest request, StreamListener listener, Cancellation cancellation) {
      listener.onText(REPLY.text());
      return REPLY;
    }
  }

  @Setup
  public void setUp(Blackhole bh) {
    sink = bh::consume;
    bare = new InstantModel();
    ResiliencePolicy policy =
        ResiliencePolicy.builder()
            .requestsPerPeriod(1_000_000_000, Duration.ofSeconds(1))
            .maxConcurrentCalls(64)
            .build();
    ChatModel resilient =
        FallbackChatModel.of(
            policy.decorate("primary", new InstantModel()),
            ResiliencePolicy.defaults().decorate("local", new InstantModel()));
    ResponseCache cache = ResponseCache.builder().maximumSize(10_000).build();
    stack =
        ListeningChatModel.of(
            "primary",
            cache.decorate("primary", resilient, "tenant-1"),
            event -> {
              if (event instanceof ChatEvent.ResponseReceived received) {
                bh.consume(received.latency());
              }
            });
    fixed = request("Where is order 1001?");
  }

  private static ChatRequest request(String text) {
    return new ChatRequest(
        java.util.List.of(Message.system("You are the support assistant."), Message.user(text)),
        java.util.List.of(),
        GREEDY);
  }

  @Benchmark
  public ChatResponse bare() {
    return bare.generate(fixed, sink, Cancellation.none());
  }

  @Benchmark
  public ChatResponse bareFreshRequest() {
    return bare.generate(request("Where is order " + (counter++) + "?"), sink, Cancellation.none());
  }

  @Benchmark
  public ChatResponse stackHit() {
    return stack.generate(fixed, sink, Cancellation.none());
  }

  @Benchmark
  public ChatResponse stackMiss() {
    return stack.generate(
        request("Where is order " + (counter++) + "?"), sink, Cancellation.none());
  }
}
