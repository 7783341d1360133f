package dev.colloquy.spring;

import dev.colloquy.core.tool.ToolDefinition;
import java.util.List;

/**
 * Tools that join the auto-configured toolbox beside the {@code @Tool} beans: the MCP servers' of
 * {@code colloquy.mcp.servers}. A seam of the starter's own, so that the core configuration names
 * no class of an optional module.
 */
@FunctionalInterface
interface ToolSource {

  /** Returns the tools; may connect to servers, failing startup with their error. */
  List<ToolDefinition> tools();
}
