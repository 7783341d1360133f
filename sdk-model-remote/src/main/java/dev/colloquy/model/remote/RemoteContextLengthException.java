package dev.colloquy.model.remote;

/**
 * The server refused the request because the prompt plus the requested reply do not fit the model's
 * context window (OpenAI's code {@code context_length_exceeded}, or the same complaint in another
 * server's words). Not retried: shorten the conversation (trim memory, summarise) or lower {@code
 * maxTokens}, then ask again.
 */
public class RemoteContextLengthException extends RemoteRejectedException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, where, and what to do
   * @param status the HTTP status code, usually 400
   * @param details what the server said
   */
  public RemoteContextLengthException(String message, int status, RemoteErrorDetails details) {
    super(message, status, details);
  }
}
