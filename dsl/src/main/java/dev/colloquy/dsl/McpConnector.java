package dev.colloquy.dsl;

import dev.colloquy.core.tool.ToolDefinition;
import java.util.List;

/**
 * Connects the MCP servers that definition files declare ({@code mcp name { ... }}) and gives their
 * tools. The DSL knows no MCP library: the application binds a connector with {@link
 * Bindings.Builder#mcp}, usually colloquy-mcp's {@code McpToolClients}, which owns the connections
 * (starts the processes, keeps the sessions) and closes them when the application closes it.
 *
 * <p>Called while definitions load, once per load for each declared server that an agent uses; a
 * reload calls it again with an equal definition, so a connector should hand back the connection it
 * already has. Must be thread-safe.
 */
@FunctionalInterface
public interface McpConnector {

  /**
   * Returns the server's tools: those its {@code tools} line names, or all when it has none.
   *
   * @param server the server as the files declare it, secrets resolved
   * @return the tools, to add to the agents that name the server
   * @throws RuntimeException when the server cannot be reached or does not offer a named tool; the
   *     message becomes a load error at the declaration, with the secrets' values removed
   */
  List<ToolDefinition> tools(McpServerDefinition server);
}
