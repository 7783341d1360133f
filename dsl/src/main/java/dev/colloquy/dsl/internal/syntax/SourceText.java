package dev.colloquy.dsl.internal.syntax;

import dev.colloquy.dsl.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of one file, with line lookup and the spans of secrets, which are shown as
 * {@code "***"} in every diagnostic. Diagnostics are rendered only at the end (in
 * {@link Reporter}), when every secret span of the file is known.
 */
public final class SourceText {
  // Source lines longer than this are shown as a window around the caret.
  private static final int MAX_SHOWN = 120;

  private final String name;
  private final String text;
  private final int[] lineStarts;
  private final List<int[]> secretSpans = new ArrayList<>();

  /**
   * Wraps a file's text.
   *
   * @param name the file's name in messages
   * @param text its content
   */
  public SourceText(String name, String text) {
    this.name = name;
    this.text = text;
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        count++;
      }
    }
    lineStarts = new int[count];
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lineStarts[line++] = i + 1;
      }
    }
  }

  /** Returns the file's name. */
  public String name() {
    return name;
  }

  /** Returns the whole text. */
  public String text() {
    return text;
  }

  /** Marks {@code [start, end)} as secret: it is never shown. */
  void addSecret(int start, int end) {
    secretSpans.add(new int[] {start, end});
  }

  /** Returns the line of an offset, from 1. */
  public int line(int offset) {
    int lo = 0;
    int hi = lineStarts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (lineStarts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo + 1;
  }

  /** Returns the column of an offset, from 1. */
  public int column(int offset) {
    return offset - lineStarts[line(offset) - 1] + 1;
  }

  /**
   * Renders an error at {@code [offset, offset + length)}.
   *
   * @param offset where the error starts; clamped to the text
   * @param length how many characters to underline; at least one caret is drawn
   * @param message what is wrong
   * @param notes what was expected and suggestions
   */
  public Diagnostic diagnostic(int offset, int length, String message, List<String> notes) {
    offset = Math.max(0, Math.min(offset, text.length()));
    int line = line(offset);
    int lineStart = lineStarts[line - 1];
    int lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) {
      lineEnd = text.length();
    }
    if (lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r') {
      lineEnd--;
    }
    // Build the shown line, replacing secrets, and track where the caret lands in it.
    StringBuilder shown = new StringBuilder();
    int caret = -1;
    int caretEnd = -1;
    int end = Math.min(offset + Math.max(1, length), lineEnd);
    for (int i = lineStart; i < lineEnd; ) {
      if (i == offset) {
        caret = shown.length();
      }
      int[] secret = secretAt(i);
      if (secret != null) {
        shown.append("\"***\"");
        int next = Math.min(secret[1], lineEnd);
        if (offset > i && offset < next) {
          caret = shown.length() - 5;
        }
        i = Math.max(next, i + 1);
      } else {
        char c = text.charAt(i);
        shown.append(c < 0x20 && c != '\t' ? '?' : c);
        i++;
      }
      if (i == end) {
        caretEnd = shown.length();
      }
    }
    if (caret < 0) {
      caret = shown.length();
    }
    int caretLength = Math.max(1, (caretEnd < 0 ? caret + 1 : caretEnd) - caret);
    String lineText = shown.toString();
    if (lineText.length() > MAX_SHOWN) {
      int from = Math.max(0, Math.min(caret - MAX_SHOWN / 2, lineText.length() - MAX_SHOWN));
      int to = Math.min(lineText.length(), from + MAX_SHOWN);
      String window = (from > 0 ? "…" : "") + lineText.substring(from, to) + (to < lineText.length() ? "…" : "");
      caret = caret - from + (from > 0 ? 1 : 0);
      caretLength = Math.max(1, Math.min(caretLength, window.length() - caret));
      lineText = window;
    }
    return new Diagnostic(name, line, offset - lineStart + 1, message, lineText, caret, caretLength, notes);
  }

  /** Renders an error about the whole file (no position). */
  public Diagnostic fileDiagnostic(String message, List<String> notes) {
    return new Diagnostic(name, 0, 0, message, "", 0, 1, notes);
  }

  private int[] secretAt(int offset) {
    for (int[] span : secretSpans) {
      if (offset >= span[0] && offset < span[1]) {
        return span;
      }
    }
    return null;
  }
}
