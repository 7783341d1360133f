package dev.colloquy.dsl;

import java.util.List;
import java.util.Objects;

/**
 * One error in a definition file, with everything needed to show it like a compiler does.
 *
 * <p>{@link #format()} gives, for example:
 *
 * <pre>
 * support.colloquy:7:9: error: unknown tool `orderStatu`
 *     7 |   tools orderStatu, refund
 *       |         ^^^^^^^^^^
 *       = expected one of: orderStatus, refund
 *       = did you mean `orderStatus`?
 * </pre>
 *
 * <p>Secrets written in the file are replaced by {@code ***} in {@link #sourceLine()} before a
 * diagnostic is made, so no diagnostic holds one.
 *
 * @param file the file's name
 * @param line the line, from 1 (0 when the error is about the whole file)
 * @param column the column in characters, from 1 (0 when the error is about the whole file)
 * @param message what is wrong
 * @param sourceLine the source line as shown, possibly shortened with {@code …}; empty when line is
 *     0
 * @param caretOffset where in {@code sourceLine} the caret starts, from 0
 * @param caretLength how many carets to draw, at least 1
 * @param notes what was expected, the valid names, the nearest one; one line each
 */
public record Diagnostic(
    String file,
    int line,
    int column,
    String message,
    String sourceLine,
    int caretOffset,
    int caretLength,
    List<String> notes) {

  /** Validates and copies. */
  public Diagnostic {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(sourceLine, "sourceLine");
    notes = List.copyOf(notes);
    if (line < 0 || column < 0 || caretOffset < 0 || caretLength < 1) {
      throw new IllegalArgumentException("bad position " + line + ":" + column);
    }
  }

  /** Returns {@code file:line:column}, or the file alone for an error about the whole file. */
  public String location() {
    return line == 0 ? file : file + ":" + line + ":" + column;
  }

  /** Returns the diagnostic as several lines of text: location, message, source, caret, notes. */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(location()).append(": error: ").append(message);
    String gutter;
    if (line > 0) {
      String number = Integer.toString(line);
      gutter = " ".repeat(Math.max(4, number.length()) + 1);
      out.append('\n')
          .append(" ".repeat(gutter.length() - 1 - number.length()))
          .append(number)
          .append(" | ")
          .append(sourceLine);
      out.append('\n').append(gutter).append("| ");
      // Tabs stay tabs under the caret so it lines up in any editor's tab width.
      for (int i = 0; i < caretOffset && i < sourceLine.length(); i++) {
        out.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
      }
      out.append("^".repeat(caretLength));
    } else {
      gutter = "      ";
    }
    for (String note : notes) {
      out.append('\n').append(gutter).append("= ").append(note);
    }
    return out.toString();
  }
}
