package dev.colloquy.mcp;

import dev.colloquy.core.NonRetryableException;

/**
 * An MCP tool ran and reported that it failed (a result with {@code isError: true}). The message is
 * the tool's own text, which goes back to the model as the call's error result, as any tool failure
 * does.
 */
public class McpToolErrorException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message the tool's error text, secret values removed
   */
  public McpToolErrorException(String message) {
    super(message);
  }
}
