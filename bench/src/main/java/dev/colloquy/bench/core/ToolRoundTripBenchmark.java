package dev.colloquy.bench.core;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolParam;
import java.util.List;
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
 * A turn with one tool round trip over an instant model: the model asks for {@code
 * orderStatus(1001)}, the agent validates the arguments against the schema, runs the tool on the
 * tool executor, and calls the model again, which answers. Compared with a plain turn (no tools) in
 * the same run, the difference is the cost of one tool round trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ToolRoundTripBenchmark {

  /** The tool the model calls. */
  public static class OrderTools {
    /** Answers at once. */
    @Tool(description = "Status of an order")
    public String orderStatus(@ToolParam(name = "orderId") int orderId) {
      return "shipped";
    }
  }

  private Agent withTool;
  private Agent plain;

  @Setup
  public void setUp() {
    withTool =
        Agent.builder()
            .model(new ToolThenAnswer())
            .system("You are a shop assistant.")
            .memory(ChatMemory.window(20))
            .tools(new OrderTools())
            .build();
    plain =
        Agent.builder()
            .model(new InstantChatModel("Your order shipped."))
            .system("You are a shop assistant.")
            .memory(ChatMemory.window(20))
            .build();
    for (int i = 0; i < 10; i++) {
      withTool.chat("c", "Where is order 1001?");
      plain.chat("c", "Where is order 1001?");
    }
  }

  @Benchmark
  public String turnWithOneToolRoundTrip() {
    return withTool.chat("c", "Where is order 1001?");
  }

  @Benchmark
  public String turnWithoutTools() {
    return plain.chat("c", "Where is order 1001?");
  }

  /**
   * Asks for the tool when the last message is the user's, answers when it is the tool's result.
   */
  static final class ToolThenAnswer implements ChatModel {
    private static final ModelCapabilities CAPABILITIES =
        new ModelCapabilities(1 << 20, true, true, true, true);
    private static final ChatResponse CALL =
        new ChatResponse(
            AssistantMessage.ofToolCalls(
                List.of(new ToolCall("call-1", "orderStatus", "{\"orderId\":1001}"))),
            FinishReason.TOOL_CALLS,
            new TokenUsage(40, 10),
            "instant");
    private static final ChatResponse ANSWER =
        new ChatResponse(
            AssistantMessage.of("Your order shipped."),
            FinishReason.STOP,
            new TokenUsage(60, 5),
            "instant");

    @Override
    public ModelCapabilities capabilities() {
      return CAPABILITIES;
    }

    @Override
    public ChatResponse generate(
        ChatRequest request, StreamListener listener, Cancellation cancellation) {
      Message last = request.messages().get(request.messages().size() - 1);
      ChatResponse response = last.role() == Message.Role.USER ? CALL : ANSWER;
      if (!response.text().isEmpty()) {
        listener.onText(response.text());
      }
      return response;
    }
  }
}
