package dev.colloquy.dsl;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.Guards;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.tool.ToolDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared test data: the bindings the golden files name, and a model that records requests. */
final class Fixtures {
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  private Fixtures() {}

  /** A model that answers every request with a fixed text and keeps the requests. */
  static final class RecordingModel implements ChatModel {
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    private final String reply;

    RecordingModel(String reply) {
      this.reply = reply;
    }

    @Override
    public ModelCapabilities capabilities() {
      return new ModelCapabilities(4096, false, false, false, false);
    }

    @Override
    public ChatResponse generate(
        ChatRequest request, StreamListener listener, Cancellation cancellation) {
      requests.add(request);
      return new ChatResponse(
          AssistantMessage.of(reply), FinishReason.STOP, TokenUsage.ZERO, "recording");
    }
  }

  /** The argument of the shop's tools. */
  record OrderQuery(String orderId) {}

  static final ToolDefinition ORDER_STATUS =
      ToolDefinition.builder("orderStatus")
          .description("Returns the status of an order.")
          .parameters(OrderQuery.class)
          .handler(
              (arguments, context) ->
                  "order " + arguments.text("orderId").orElseThrow() + ": shipped")
          .build();

  static final ToolDefinition REFUND =
      ToolDefinition.builder("refund")
          .description("Refunds an order.")
          .parameters(OrderQuery.class)
          .handler((arguments, context) -> "refunded")
          .build();

  /**
   * A connector that offers, for any server, the tools its allow-list names (or {@code read_file}
   * and {@code list_directory}), each answering {@code server:tool}.
   */
  static final McpConnector MCP =
      server ->
          (server.tools().isEmpty() ? List.of("read_file", "list_directory") : server.tools())
              .stream()
                  .map(
                      name ->
                          ToolDefinition.builder(name)
                              .description("tool " + name + " of " + server.name())
                              .handler((arguments, context) -> server.name() + ":" + name)
                              .build())
                  .toList();

  static Bindings bindings(ChatModel model) {
    Bindings.Builder b =
        Bindings.builder().model("shop-model", model).tool(ORDER_STATUS).tool(REFUND);
    for (String f :
        List.of(
            "openingHours", "handOver", "loadTickets", "notify", "archive", "translate", "merge")) {
      b.function(f, input -> input);
    }
    b.predicate("urgent", input -> false).predicate("resolved", input -> true);
    b.guard("short_messages", Guards.maxLength(2000)).guard("json_reply", Guards.json());
    Map<String, String> env = Map.of("SHOP_API_KEY", "sk-test-123");
    return b.environment(name -> Optional.ofNullable(env.get(name))).mcp(MCP).build();
  }

  static Bindings bindings() {
    return bindings(new RecordingModel("ok"));
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compares with a golden file; with -Dgolden.update=true, writes it instead. */
  static String golden(Path file, String actual) {
    if (Boolean.getBoolean("golden.update")) {
      try {
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return read(file);
  }
}
