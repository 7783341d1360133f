package dev.colloquy.model.remote;

/**
 * The account has used up its quota or credit (OpenAI's 429 with code {@code insufficient_quota}).
 * Unlike a rate limit ({@link RemoteRateLimitException}) waiting does not help, so it is not
 * retried and does not count against a circuit breaker: check the plan and billing.
 */
public class RemoteQuotaExceededException extends RemoteRejectedException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, where, and what to do
   * @param status the HTTP status code, usually 429
   * @param details what the server said
   */
  public RemoteQuotaExceededException(String message, int status, RemoteErrorDetails details) {
    super(message, status, details);
  }
}
