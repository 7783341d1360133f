package dev.colloquy.mcp;

import java.util.Objects;

/**
 * A tool an MCP server lists that Colloquy cannot offer to a model: its name is not a valid tool
 * name (1 to 64 of A-Z a-z 0-9 _ . -), its input schema is not a valid JSON Schema or not of type
 * {@code object}, or the server lists its name twice. The server's other tools stay usable.
 *
 * @param name the tool's name as the server lists it
 * @param reason why it was refused, secret values removed
 */
public record McpRefusedTool(String name, String reason) {
  /** Validates the fields. */
  public McpRefusedTool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
  }
}
