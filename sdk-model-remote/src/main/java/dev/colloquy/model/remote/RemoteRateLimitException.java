package dev.colloquy.model.remote;

import java.time.Duration;

/**
 * The server rate-limited the call (a 429 other than an exhausted quota, such as OpenAI's {@code
 * rate_limit_exceeded}). Retryable: {@link #retryAfter()} holds the wait the server asked for, when
 * it named one.
 */
public class RemoteRateLimitException extends RemoteUnavailableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, where, and what to do
   * @param status the HTTP status code, usually 429
   * @param details what the server said
   * @param retryAfter the wait the server asked for, or {@code null} when it named none
   */
  public RemoteRateLimitException(
      String message, int status, RemoteErrorDetails details, Duration retryAfter) {
    super(message, status, details, null, retryAfter);
  }
}
