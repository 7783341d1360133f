package dev.colloquy.mcp;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.ColloquyException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.core.tool.ToolException;
import dev.colloquy.core.tool.Toolbox;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tools an {@link McpToolServer} lists and how it runs them: each call is one {@code
 * ToolSession} of the toolbox with one call (so the allow-list, schema validation, approval,
 * timeout and result cap all apply), in the conversation {@code mcp-<session id>}; the session's
 * result becomes the MCP result, its error flag {@code isError}.
 */
final class ServedTools {

  private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};
  private static final String AGENT_SCHEMA =
      "{\"type\":\"object\",\"properties\":{"
          + "\"message\":{\"type\":\"string\",\"description\":\"what to ask or tell the agent\"},"
          + "\"conversation\":{\"type\":\"string\",\"description\":"
          + "\"the conversation to continue (default: this MCP session's)\"}},"
          + "\"required\":[\"message\"]}";

  private final Toolbox toolbox;
  private final McpJsonMapper mapper;
  private final AtomicLong calls = new AtomicLong();

  ServedTools(Toolbox toolbox, McpJsonMapper mapper) {
    this.toolbox = toolbox;
    this.mapper = mapper;
  }

  McpServerFeatures.SyncToolSpecification tool(ToolSpecification specification) {
    McpSchema.Tool tool =
        McpSchema.Tool.builder(specification.name(), schema(specification.parameters().toJson()))
            .description(specification.description())
            .build();
    return new McpServerFeatures.SyncToolSpecification(
        tool, (exchange, request) -> run(specification.name(), exchange, request));
  }

  McpServerFeatures.SyncToolSpecification agent(String name, String description, Agent agent) {
    McpSchema.Tool tool =
        McpSchema.Tool.builder(name, schema(AGENT_SCHEMA)).description(description).build();
    return new McpServerFeatures.SyncToolSpecification(
        tool,
        (exchange, request) -> {
          Map<String, Object> arguments =
              request.arguments() == null ? Map.of() : request.arguments();
          Object message = arguments.get("message");
          if (!(message instanceof String text) || text.isEmpty()) {
            return error(
                "invalid arguments for tool '" + name + "': 'message' must be a non-empty string");
          }
          Object conversation = arguments.get("conversation");
          String id =
              conversation instanceof String given && !given.isBlank()
                  ? given
                  : conversation(exchange);
          try {
            return McpSchema.CallToolResult.builder().addTextContent(agent.chat(id, text)).build();
          } catch (ColloquyException | IllegalArgumentException e) {
            return error("agent tool '" + name + "' failed: " + e.getMessage());
          }
        });
  }

  private McpSchema.CallToolResult run(
      String name, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
    String arguments;
    try {
      arguments =
          mapper.writeValueAsString(request.arguments() == null ? Map.of() : request.arguments());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ToolCall call = new ToolCall("mcp-" + calls.incrementAndGet(), name, arguments);
    ToolResultMessage result;
    try {
      result =
          toolbox
              .session(
                  conversation(exchange), Cancellation.create(), Long.MAX_VALUE, System::nanoTime)
              .run(List.of(call), execution -> {})
              .get(0);
    } catch (ToolException e) {
      return error(e.getMessage());
    }
    return McpSchema.CallToolResult.builder()
        .addTextContent(result.text())
        .isError(result.error())
        .build();
  }

  private static McpSchema.CallToolResult error(String text) {
    return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
  }

  private static String conversation(McpSyncServerExchange exchange) {
    String session = exchange == null ? null : exchange.sessionId();
    return session == null || session.isBlank() ? "mcp" : "mcp-" + session;
  }

  private Map<String, Object> schema(String json) {
    try {
      return mapper.readValue(json, MAP);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
