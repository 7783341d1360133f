package dev.colloquy.model.local.internal.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps special-token strings typed in message text from becoming special tokens. Before a template
 * renders, each special-token string inside the conversation's text is replaced by a sentinel
 * ({@code U+E000 n U+E001}, which no special token contains); after it renders, the output is split
 * at the special-token strings left, which only the template itself can have written, and the
 * sentinels are turned back into their text. A {@code U+E000} in the text is guarded the same way,
 * so no text can forge a sentinel. One guard serves one render; not thread-safe.
 */
public final class SpecialTokenGuard {

  private static final char OPEN = '\uE000';
  private static final char CLOSE = '\uE001';

  /** A piece of rendered output: text, or a special token written by the template. */
  public record Piece(String text, boolean special) {}

  private final List<String> specials;
  private final List<String> guarded = new ArrayList<>();

  /**
   * @param specials the special-token strings, none empty
   */
  public SpecialTokenGuard(Collection<String> specials) {
    List<String> sorted = new ArrayList<>(specials);
    // Longest first, so that a token that is a prefix of another never wins over it.
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    this.specials = List.copyOf(sorted);
  }

  /** Returns the text with each special-token string (and each U+E000) replaced by a sentinel. */
  public String protect(String text) {
    if (specials.isEmpty() && text.indexOf(OPEN) < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      String special = text.charAt(i) == OPEN ? String.valueOf(OPEN) : specialAt(text, i);
      if (special == null) {
        out.append(text.charAt(i++));
        continue;
      }
      out.append(OPEN).append(guarded.size()).append(CLOSE);
      guarded.add(special);
      i += special.length();
    }
    return out.toString();
  }

  /** Splits rendered output into text and the special tokens the template wrote. */
  public List<Piece> split(String output) {
    List<Piece> pieces = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < output.length()) {
      char c = output.charAt(i);
      int close = c == OPEN ? output.indexOf(CLOSE, i) : -1;
      if (close > i) {
        text.append(guarded.get(Integer.parseInt(output.substring(i + 1, close))));
        i = close + 1;
        continue;
      }
      String special = specialAt(output, i);
      if (special == null) {
        text.append(c);
        i++;
        continue;
      }
      if (!text.isEmpty()) {
        pieces.add(new Piece(text.toString(), false));
        text.setLength(0);
      }
      pieces.add(new Piece(special, true));
      i += special.length();
    }
    if (!text.isEmpty()) {
      pieces.add(new Piece(text.toString(), false));
    }
    return pieces;
  }

  private String specialAt(String text, int at) {
    for (String special : specials) {
      if (text.startsWith(special, at)) {
        return special;
      }
    }
    return null;
  }
}
