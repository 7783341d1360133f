package dev.colloquy.model.remote.internal.openai;

import dev.colloquy.core.guard.SecretRedactor;
import java.util.Objects;

/**
 * The one door through which text from a server reaches an exception, an event or a log line: error
 * bodies, in-stream errors, chunks quoted in messages, header values, the model id, partial
 * replies, and the messages of parser and I/O exceptions that quote what the server sent. Each
 * method removes the model's configured secrets (its API key, authorization and other credential
 * header values) by exact value first, and only then shortens, so a cut never leaves half a key.
 * Thread-safe.
 */
public final class ServerText {

  private final SecretRedactor secrets;

  /**
   * @param secrets the model's configured secrets
   */
  public ServerText(SecretRedactor secrets) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  /** Returns the secrets this door removes, for recorders that must remove the same. */
  public SecretRedactor secrets() {
    return secrets;
  }

  /** Returns the text with every configured secret removed. */
  public String redact(String text) {
    return secrets.redact(text);
  }

  /** Returns the redacted text, cut to {@code maxChars} characters with an ellipsis when longer. */
  public String excerpt(String text, int maxChars) {
    String redacted = secrets.redact(text);
    return redacted.length() > maxChars ? redacted.substring(0, maxChars) + "…" : redacted;
  }

  /**
   * Returns the first line of a parser's or I/O library's message (which may quote the server),
   * redacted.
   */
  public String problem(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    return excerpt(message.lines().findFirst().orElse(""), 300);
  }

  /**
   * Returns a throwable safe to attach as a cause: the same one when no message in its chain holds
   * a secret, else a copy whose messages are redacted, with the same stack traces.
   *
   * @param failure the foreign failure, or {@code null}
   */
  public Throwable safeCause(Throwable failure) {
    if (failure == null || secrets.isEmpty() || !leaks(failure, 0)) {
      return failure;
    }
    return copy(failure, 0);
  }

  private boolean leaks(Throwable failure, int depth) {
    if (failure == null || depth > 16) {
      return false;
    }
    if (secrets.isIn(failure.toString())) {
      return true;
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      if (leaks(suppressed, depth + 1)) {
        return true;
      }
    }
    return leaks(failure.getCause(), depth + 1);
  }

  private Throwable copy(Throwable failure, int depth) {
    if (failure == null || depth > 16) {
      return null;
    }
    RedactedFailure copy =
        new RedactedFailure(
            secrets.redact(failure.toString()), copy(failure.getCause(), depth + 1));
    copy.setStackTrace(failure.getStackTrace());
    for (Throwable suppressed : failure.getSuppressed()) {
      Throwable redacted = copy(suppressed, depth + 1);
      if (redacted != null) {
        copy.addSuppressed(redacted);
      }
    }
    return copy;
  }

  /**
   * A foreign failure whose text quoted a secret: its class name and redacted message, its stack
   * trace.
   */
  static final class RedactedFailure extends Exception {

    private static final long serialVersionUID = 1L;

    RedactedFailure(String description, Throwable cause) {
      super(description, cause);
    }

    @Override
    public String toString() {
      return getMessage(); // already "ClassName: message", redacted
    }
  }
}
