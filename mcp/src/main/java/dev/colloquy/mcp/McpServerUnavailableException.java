package dev.colloquy.mcp;

import dev.colloquy.core.RetryableException;

/**
 * An MCP server could not be started or reached, or was lost during a call: its process exited, its
 * connection dropped, or it wrote something that is not JSON-RPC. Retryable: the next call starts
 * or reaches the server again. The message names the server and its transport (the program, or the
 * URL without user info and query), says what happened, and ends with the last lines the server
 * wrote to its error output, if any; secret values (environment, headers) are never shown.
 */
public class McpServerUnavailableException extends RetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, naming the server
   * @param cause the underlying failure, its message already redacted, or {@code null}
   */
  public McpServerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
