package dev.colloquy.mcp;

import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.model.JsonSchemaException;
import dev.colloquy.core.tool.ToolArguments;
import dev.colloquy.core.tool.ToolContext;
import dev.colloquy.core.tool.ToolDefinition;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a server's tool list into Colloquy tools, once. The rules: an allow-list, when given, keeps
 * only the tools it names, and each must be listed and usable, or the listing fails naming it;
 * without one, a tool Colloquy cannot use (an invalid name or input schema, a name listed twice) is
 * left out, reported by {@code refused()} and logged once as a warning, and the others stay usable.
 */
final class ToolListing {

  private static final Logger LOG = LoggerFactory.getLogger(McpToolClient.class);

  /** The code behind every tool: the server's name for the tool, the arguments, the context. */
  @FunctionalInterface
  interface Caller {
    Object call(String tool, ToolArguments arguments, ToolContext context);
  }

  record Defined(List<ToolDefinition> tools, List<McpRefusedTool> refused) {}

  private final Supplier<String> server;
  private final Set<String> allowed;
  private final String prefix;
  private final boolean requiresApproval;
  private final Redaction redaction;
  private final Caller caller;
  private Defined defined;

  ToolListing(
      Supplier<String> server,
      Set<String> allowed,
      String prefix,
      boolean requiresApproval,
      Redaction redaction,
      Caller caller) {
    this.server = server;
    this.allowed = allowed;
    this.prefix = prefix;
    this.requiresApproval = requiresApproval;
    this.redaction = redaction;
    this.caller = caller;
  }

  /**
   * Returns the tools of the first listing (the same every time).
   *
   * @throws McpProtocolException when the allow-list names a tool that is not listed or not usable
   */
  synchronized Defined define(List<McpSchema.Tool> listed) {
    if (defined != null) {
      return defined;
    }
    List<ToolDefinition> tools = new ArrayList<>();
    List<McpRefusedTool> refused = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (McpSchema.Tool tool : listed) {
      String name = tool.name() == null ? "" : tool.name();
      if (!allowed.isEmpty() && !allowed.contains(name)) {
        continue;
      }
      if (!seen.add(name)) {
        refused.add(new McpRefusedTool(name, "the server lists the name twice"));
        continue;
      }
      try {
        tools.add(definition(name, tool));
      } catch (IllegalArgumentException e) {
        refused.add(new McpRefusedTool(name, redaction.apply(e.getMessage())));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : allowed) {
      if (!seen.contains(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      Set<String> offered = new TreeSet<>();
      listed.forEach(tool -> offered.add(String.valueOf(tool.name())));
      throw new McpProtocolException(
          server.get()
              + " does not offer the tools its allow-list names: "
              + missing
              + "; it offers: "
              + offered,
          null);
    }
    if (!allowed.isEmpty() && !refused.isEmpty()) {
      McpRefusedTool first = refused.get(0);
      throw new McpProtocolException(
          server.get()
              + " offers tool '"
              + first.name()
              + "', which its allow-list names, but Colloquy cannot use it: "
              + first.reason(),
          null);
    }
    for (McpRefusedTool tool : refused) {
      LOG.warn(
          "{} lists tool '{}', which is left out: {}", server.get(), tool.name(), tool.reason());
    }
    defined = new Defined(List.copyOf(tools), List.copyOf(refused));
    return defined;
  }

  private ToolDefinition definition(String name, McpSchema.Tool tool) {
    Map<String, Object> input = tool.inputSchema() == null ? Map.of() : tool.inputSchema();
    JsonSchema schema;
    try {
      schema = JsonSchema.parse(Connector.MAPPER.writeValueAsString(input));
    } catch (JsonSchemaException | IOException e) {
      throw new IllegalArgumentException(
          "its input schema is not a valid JSON Schema: " + e.getMessage(), e);
    }
    String description =
        tool.description() != null ? tool.description() : tool.title() != null ? tool.title() : "";
    return ToolDefinition.builder(prefix + name)
        .description(description)
        .parameters(schema)
        .requiresApproval(requiresApproval)
        .handler((arguments, context) -> caller.call(name, arguments, context))
        .build();
  }
}
