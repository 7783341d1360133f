package dev.colloquy.mcp;

import dev.colloquy.core.NonRetryableException;

/**
 * An MCP server answered with something Colloquy cannot use: a JSON-RPC error (an unknown tool,
 * arguments it rejects), a malformed result, structured content that breaks the tool's output
 * schema, or a tool that cannot be offered (an invalid name or input schema) although the
 * allow-list asks for it. Not retryable: the same call gets the same answer. The message names the
 * server and the tool; secret values are never shown.
 */
public class McpProtocolException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong, naming the server and the tool
   * @param cause the underlying failure, its message already redacted, or {@code null}
   */
  public McpProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
