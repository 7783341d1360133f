package dev.colloquy.mcp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes an MCP server's secret values (its environment variables and HTTP headers) from text that
 * comes from elsewhere — the server's error output, its error messages, the SDK's exceptions —
 * before that text enters one of our exceptions. Values are matched exactly, longest first; values
 * shorter than {@value #MIN_LENGTH} characters are left alone (they would mangle every message and
 * cannot be secrets worth the name).
 */
final class Redaction {
  static final int MIN_LENGTH = 4;
  static final String MASK = "***";

  private static final Redaction NONE = new Redaction(List.of());

  private final List<String> values;

  private Redaction(List<String> values) {
    this.values = values;
  }

  static Redaction none() {
    return NONE;
  }

  /**
   * Redacts each value, and for a value with a space ({@code Bearer abc…}) also what follows the
   * first space, since a server may echo only the token.
   */
  static Redaction of(Collection<String> secrets) {
    Set<String> all = new LinkedHashSet<>();
    for (String secret : secrets) {
      add(all, secret);
      int space = secret.indexOf(' ');
      if (space >= 0) {
        add(all, secret.substring(space + 1).strip());
      }
    }
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new Redaction(List.copyOf(sorted));
  }

  private static void add(Set<String> all, String value) {
    if (value.length() >= MIN_LENGTH) {
      all.add(value);
    }
  }

  /** Returns the text with every secret value replaced by {@value #MASK}; null gives "". */
  String apply(String text) {
    if (text == null) {
      return "";
    }
    String result = text;
    for (String value : values) {
      result = result.replace(value, MASK);
    }
    return result;
  }
}
