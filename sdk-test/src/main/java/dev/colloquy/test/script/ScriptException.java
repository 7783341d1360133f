package dev.colloquy.test.script;

import dev.colloquy.core.NonRetryableException;

/**
 * A conversation script that cannot be parsed. The message reads like a compiler's: {@code
 * file:line:column: what is wrong}, the source line, a caret under the column, and what was
 * expected there.
 */
public class ScriptException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message the complete, formatted message
   */
  public ScriptException(String message) {
    super(message);
  }

  /** Formats a message pointing at a column of a source line. */
  static String format(
      String file, int line, int column, String sourceLine, String what, String expected) {
    StringBuilder s = new StringBuilder();
    s.append(file)
        .append(':')
        .append(line)
        .append(':')
        .append(column)
        .append(": ")
        .append(what)
        .append('\n');
    s.append("  ").append(sourceLine).append('\n');
    s.append("  ").append(" ".repeat(Math.max(0, column - 1))).append('^');
    if (!expected.isEmpty()) {
      s.append('\n').append(expected);
    }
    return s.toString();
  }
}
