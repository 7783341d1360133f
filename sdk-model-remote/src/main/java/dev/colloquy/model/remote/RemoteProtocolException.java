package dev.colloquy.model.remote;

import dev.colloquy.core.NonRetryableException;

/**
 * The server answered with something that is not the chat-completions protocol: a line of the event
 * stream over the configured limit, a chunk that is not JSON, a body of an unexpected type. Usually
 * a wrong {@code baseUrl} or a proxy in the way; retrying will not help.
 */
public class RemoteProtocolException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was malformed, where, and what to do
   * @param cause the parse failure, or {@code null}
   */
  public RemoteProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
