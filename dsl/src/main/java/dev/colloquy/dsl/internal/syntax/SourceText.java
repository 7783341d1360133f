package dev.colloquy.dsl.internal.syntax;

import dev.colloquy.dsl.Diagnostic;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of one file, with line lookup and the masked spans: what the lexer (or, after an error,
 * the parser) found on a {@code secret} declaration that may be its value. A masked span is shown
 * as {@code ***} (a string as {@code "***"}) in every diagnostic; this class is the one place where
 * source lines become text of a diagnostic. Diagnostics are rendered only at the end (in {@link
 * Reporter}), when every masked span of the file is known.
 */
public final class SourceText {
  // Source lines longer than this are shown as a window around the caret.
  private static final int MAX_SHOWN = 120;

  private final String name;
  private final String text;
  private final int[] lineStarts;
  private final TreeMap<Integer, Mask> masks = new TreeMap<>();

  private record Mask(int start, int end, String replacement) {}

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

  /**
   * Masks {@code [start, end)}: it is never shown, {@code replacement} stands in its place. A span
   * that overlaps or touches a masked one is merged into it, so one {@code ***} stands for a run.
   */
  void mask(int start, int end, String replacement) {
    if (end <= start) {
      return;
    }
    int from = start;
    int to = end;
    String shown = replacement;
    Map.Entry<Integer, Mask> before = masks.floorEntry(start);
    if (before != null && before.getValue().end() >= start) {
      from = before.getKey();
      to = Math.max(to, before.getValue().end());
      shown = before.getValue().replacement();
      masks.remove(from);
    }
    for (Map.Entry<Integer, Mask> next = masks.ceilingEntry(from);
        next != null && next.getKey() <= to;
        next = masks.ceilingEntry(from)) {
      to = Math.max(to, next.getValue().end());
      masks.remove(next.getKey());
    }
    masks.put(from, new Mask(from, to, shown));
  }

  /** Returns whether any character of {@code [start, end)} is masked. */
  boolean masked(int start, int end) {
    Map.Entry<Integer, Mask> before = masks.floorEntry(start);
    if (before != null && before.getValue().end() > start) {
      return true;
    }
    Integer next = masks.ceilingKey(start);
    return next != null && next < end;
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
    // Build the shown line, replacing masked spans, and track where the caret lands in it.
    StringBuilder shown = new StringBuilder();
    int caret = -1;
    int caretEnd = -1;
    int end = Math.min(offset + Math.max(1, length), lineEnd);
    for (int i = lineStart; i < lineEnd; ) {
      if (i == offset) {
        caret = shown.length();
      }
      Mask mask = maskAt(i);
      if (mask != null) {
        shown.append(mask.replacement());
        int next = Math.min(mask.end(), lineEnd);
        if (offset > i && offset < next) {
          caret = shown.length() - mask.replacement().length();
        }
        i = Math.max(next, i + 1);
      } else {
        char c = text.charAt(i);
        shown.append(c < 0x20 && c != '\t' ? '?' : c);
        i++;
      }
      if (caretEnd < 0 && caret >= 0 && i >= end) {
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
      String window =
          (from > 0 ? "…" : "")
              + lineText.substring(from, to)
              + (to < lineText.length() ? "…" : "");
      caret = caret - from + (from > 0 ? 1 : 0);
      caretLength = Math.max(1, Math.min(caretLength, window.length() - caret));
      lineText = window;
    }
    return new Diagnostic(
        name, line, offset - lineStart + 1, message, lineText, caret, caretLength, notes);
  }

  /** Renders an error about the whole file (no position). */
  public Diagnostic fileDiagnostic(String message, List<String> notes) {
    return new Diagnostic(name, 0, 0, message, "", 0, 1, notes);
  }

  private Mask maskAt(int offset) {
    Map.Entry<Integer, Mask> at = masks.floorEntry(offset);
    return at != null && at.getValue().end() > offset ? at.getValue() : null;
  }
}
