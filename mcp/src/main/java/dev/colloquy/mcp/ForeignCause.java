package dev.colloquy.mcp;

/**
 * Stands in for an exception from the SDK, the JDK or the server as the cause of one of ours: the
 * same class name (in the message), stack trace and chain, with the messages redacted, so a logged
 * stack trace shows no secret.
 */
final class ForeignCause extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final int MAX_DEPTH = 8;

  private ForeignCause(String message, ForeignCause cause) {
    super(message, cause, false, true);
  }

  /** Returns a redacted copy of the chain, or {@code null} for {@code null}. */
  static ForeignCause of(Throwable failure, Redaction redaction) {
    return copy(failure, redaction, 0);
  }

  private static ForeignCause copy(Throwable failure, Redaction redaction, int depth) {
    if (failure == null || depth == MAX_DEPTH) {
      return null;
    }
    if (failure instanceof ForeignCause foreign) {
      return foreign;
    }
    String message = failure.getMessage();
    ForeignCause copy =
        new ForeignCause(
            failure.getClass().getName() + (message == null ? "" : ": " + redaction.apply(message)),
            failure.getCause() == failure ? null : copy(failure.getCause(), redaction, depth + 1));
    copy.setStackTrace(failure.getStackTrace());
    return copy;
  }

  /**
   * Returns a short description for a message: the innermost useful cause's simple class name and
   * redacted message.
   */
  static String describe(Throwable failure, Redaction redaction) {
    Throwable shown = failure;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      Throwable next = shown.getCause();
      boolean wrapper =
          shown instanceof java.util.concurrent.CompletionException
              || shown instanceof java.util.concurrent.ExecutionException
              || shown.getMessage() == null
              || (next != null && shown.getMessage().equals(String.valueOf(next)));
      if (next == null || next == shown || !wrapper) {
        break;
      }
      shown = next;
    }
    String message = shown.getMessage();
    return shown.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : ": " + redaction.apply(message));
  }
}
