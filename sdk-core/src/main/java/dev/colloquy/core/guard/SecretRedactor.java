package dev.colloquy.core.guard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Removes known secret values (an API key, an authorization header's value) from text by their
 * exact value, not by a pattern: a key of any shape is found, a 32-hex-digit Azure key or a
 * three-letter test key as much as an {@code sk-...} one. Each value is also looked for in its
 * JSON-escaped form, as a server may quote it inside a JSON string.
 *
 * <p>Backends build one from their configuration and pass every text that comes from a server
 * through it before it reaches an exception, an event or a log line; a backend exposes it with
 * {@link dev.colloquy.core.model.ChatModel#secretRedactor()} so that recorders can remove the same
 * values. {@link PiiRedactor} is the pattern-based complement for secrets nobody configured.
 *
 * <p>It never shows its values: {@link #toString()} gives only their number. Immutable and
 * thread-safe.
 */
public final class SecretRedactor {

  /** What {@link #redact(String)} puts where a secret was. */
  public static final String PLACEHOLDER = "[redacted]";

  private static final SecretRedactor NONE = new SecretRedactor(List.of(), 0);

  /** Longest first, so that a secret containing another is replaced whole. */
  private final List<String> needles;

  private final int count;

  /**
   * Where a secret was found: {@code text.substring(start, end)}.
   *
   * @param start the first character's index
   * @param end the index after the last character
   */
  public record Span(int start, int end) {

    /** Validates the bounds. */
    public Span {
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException("invalid span [" + start + ", " + end + ")");
      }
    }
  }

  private SecretRedactor(List<String> needles, int count) {
    this.needles = needles;
    this.count = count;
  }

  /** Returns a redactor that knows no secret and returns every text unchanged. */
  public static SecretRedactor none() {
    return NONE;
  }

  /**
   * Returns a redactor of the given values; empty values are ignored.
   *
   * @param secrets the exact values to remove
   * @throws NullPointerException when the collection or a value is null
   */
  public static SecretRedactor of(Collection<String> secrets) {
    Objects.requireNonNull(secrets, "secrets");
    Set<String> values = new LinkedHashSet<>();
    for (String secret : secrets) {
      Objects.requireNonNull(secret, "a secret value");
      if (!secret.isEmpty()) {
        values.add(secret);
      }
    }
    if (values.isEmpty()) {
      return NONE;
    }
    Set<String> needles = new LinkedHashSet<>(values);
    for (String value : values) {
      needles.add(jsonEscaped(value));
    }
    List<String> sorted = new ArrayList<>(needles);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretRedactor(List.copyOf(sorted), values.size());
  }

  /** Returns a redactor of the given values; see {@link #of(Collection)}. */
  public static SecretRedactor of(String... secrets) {
    return of(List.of(secrets));
  }

  /** Returns whether this redactor knows no secret. */
  public boolean isEmpty() {
    return count == 0;
  }

  /** Returns a redactor of this one's secrets and the other's. */
  public SecretRedactor and(SecretRedactor other) {
    Objects.requireNonNull(other, "other");
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Set<String> needles = new LinkedHashSet<>(this.needles);
    needles.addAll(other.needles);
    List<String> sorted = new ArrayList<>(needles);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretRedactor(List.copyOf(sorted), count + other.count);
  }

  /** Returns the text with every secret replaced by {@link #PLACEHOLDER}. */
  public String redact(String text) {
    return redact(text, PLACEHOLDER);
  }

  /**
   * Returns the text with every secret replaced by {@code placeholder}; overlapping secrets become
   * one placeholder.
   */
  public String redact(String text, String placeholder) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(placeholder, "placeholder");
    List<Span> spans = find(text);
    if (spans.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (Span span : spans) {
      out.append(text, from, span.start()).append(placeholder);
      from = span.end();
    }
    return out.append(text, from, text.length()).toString();
  }

  /** Returns whether the text holds a secret. */
  public boolean isIn(String text) {
    Objects.requireNonNull(text, "text");
    for (String needle : needles) {
      if (text.contains(needle)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns where secrets occur in the text, in order, overlapping occurrences merged into one
   * span.
   *
   * @param text the text to search
   */
  public List<Span> find(String text) {
    Objects.requireNonNull(text, "text");
    if (needles.isEmpty() || text.isEmpty()) {
      return List.of();
    }
    List<int[]> found = new ArrayList<>();
    for (String needle : needles) {
      for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
        found.add(new int[] {at, at + needle.length()});
      }
    }
    if (found.isEmpty()) {
      return List.of();
    }
    found.sort(Comparator.comparingInt((int[] span) -> span[0]));
    List<Span> merged = new ArrayList<>();
    int start = found.get(0)[0];
    int end = found.get(0)[1];
    for (int[] span : found) {
      if (span[0] < end) {
        end = Math.max(end, span[1]);
      } else {
        merged.add(new Span(start, end));
        start = span[0];
        end = span[1];
      }
    }
    merged.add(new Span(start, end));
    return List.copyOf(merged);
  }

  /** Returns how many secrets it knows, never what they are. */
  @Override
  public String toString() {
    return "SecretRedactor[" + count + (count == 1 ? " secret]" : " secrets]");
  }

  private static String jsonEscaped(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '/' -> out.append("\\/");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
