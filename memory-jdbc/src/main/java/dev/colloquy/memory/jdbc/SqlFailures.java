package dev.colloquy.memory.jdbc;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Driver failures as the store reports them: a message naming the operation, the conversation and
 * the database's own error text, with connection strings and credentials taken out, and the same
 * redaction applied to the whole cause chain that goes with it.
 */
final class SqlFailures {

  // A JDBC URL runs to the next blank or quote; a credential property to the next separator.
  private static final Pattern JDBC_URL = Pattern.compile("jdbc:[^\\s'\"]+");
  private static final Pattern CREDENTIAL =
      Pattern.compile("(?i)(password|passwd|pwd|secret|token)\\s*[=:]\\s*[^\\s&;,'\"]+");
  private static final int MAX_CAUSES = 16;

  private SqlFailures() {}

  /** Returns a driver's message with JDBC URLs and credentials replaced. */
  static String redact(String message) {
    if (message == null) {
      return "";
    }
    String text = JDBC_URL.matcher(message).replaceAll("jdbc:<redacted>");
    return CREDENTIAL.matcher(text).replaceAll("$1=<redacted>");
  }

  /**
   * Returns the failure's message for ours: the SQLState and the driver's text, redacted.
   *
   * @param e the driver's failure
   */
  static String describe(SQLException e) {
    String state = e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ";
    return state + redact(e.getMessage());
  }

  /**
   * Returns a copy of a failure and its causes whose messages are redacted, with the original
   * classes' names and stack traces, to attach as the cause of ours.
   */
  static Throwable sanitized(Throwable failure) {
    return copy(failure, 0);
  }

  private static Throwable copy(Throwable failure, int depth) {
    Throwable cause =
        failure.getCause() == null || depth >= MAX_CAUSES
            ? null
            : copy(failure.getCause(), depth + 1);
    RedactedFailure copy =
        new RedactedFailure(
            failure.getClass().getName() + ": " + redact(failure.getMessage()),
            failure instanceof SQLException sql ? sql.getSQLState() : null,
            failure instanceof SQLException sql ? sql.getErrorCode() : 0,
            cause);
    copy.setStackTrace(failure.getStackTrace());
    return copy;
  }

  /** A driver's failure with its message redacted; the message starts with the original class. */
  static final class RedactedFailure extends SQLException {
    private static final long serialVersionUID = 1L;

    RedactedFailure(String message, String sqlState, int vendorCode, Throwable cause) {
      super(message, sqlState, vendorCode, cause);
    }
  }
}
