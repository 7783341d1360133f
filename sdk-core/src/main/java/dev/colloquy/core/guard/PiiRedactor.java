package dev.colloquy.core.guard;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Finds personal data and secrets in text and replaces each value with a placeholder such as {@code
 * [EMAIL_1]} or {@code [CARD_2]}; see {@link PiiKind} for what is found and how look-alikes are
 * told apart (a number failing the Luhn check is not a card; an ID with a wrong check digit is not
 * an ID).
 *
 * <p>Values typed outside ASCII are found too: a digit is any Unicode decimal digit (the full-width
 * {@code ４１１１ １１１１ …} of Chinese and Japanese input methods, Arabic-Indic, Devanagari, …) and the
 * checks use its numeric value; numbers may be separated by full-width spaces and hyphens; e-mail
 * addresses may be internationalised ({@code 张三@例子.中国}, {@code josé@exämple.com}, {@code
 * info@bücher.de}, with {@code ＠} and ideographic full stops). In Chinese, Japanese or Korean text
 * without spaces, an address ends where the script changes, so {@code 请发邮件到jane@example.com谢谢}
 * keeps the words around it; a local part in those scripts cannot be told from the words before it
 * and takes them along.
 *
 * <p>{@link #redact} forgets the values. {@link #newSession()} keeps them for one turn, so that a
 * tool can receive the real value behind a placeholder the model wrote.
 *
 * <p>Immutable and thread-safe.
 */
public final class PiiRedactor {

  private final Set<PiiKind> kinds;
  private final List<PiiDetector> detectors;

  private PiiRedactor(Set<PiiKind> kinds) {
    this.kinds = Set.copyOf(kinds);
    List<PiiDetector> list = new ArrayList<>();
    for (PiiKind kind : PiiKind.values()) {
      if (kinds.contains(kind)) {
        list.addAll(PiiDetector.forKind(kind));
      }
    }
    this.detectors = List.copyOf(list);
  }

  /** Returns a redactor for every {@link PiiKind}. */
  public static PiiRedactor all() {
    return new PiiRedactor(EnumSet.allOf(PiiKind.class));
  }

  /**
   * Returns a redactor for the given kinds only.
   *
   * @param first a kind to find
   * @param more more kinds to find
   */
  public static PiiRedactor of(PiiKind first, PiiKind... more) {
    return new PiiRedactor(EnumSet.of(Objects.requireNonNull(first, "first"), more));
  }

  /** Returns the kinds this redactor finds. */
  public Set<PiiKind> kinds() {
    return kinds;
  }

  /**
   * Returns the text with every value found replaced by a numbered placeholder; the values are not
   * kept.
   *
   * @param text the text to redact
   */
  public String redact(String text) {
    return newSession().redact(text);
  }

  /** Returns a session that remembers the values it replaces, for one turn. */
  public RedactionSession newSession() {
    return new RedactionSession(this);
  }

  /**
   * Returns a guard that rewrites a text with {@link #redact} and passes a text with nothing to
   * hide.
   */
  public Guard asGuard() {
    return Guard.of("pii-redaction", text -> newSession().asGuard().check(text));
  }

  /** Replaces each value found in {@code text} through the session's placeholder table. */
  String replace(String text, RedactionSession session) {
    String current = text;
    for (PiiDetector detector : detectors) {
      Matcher m = detector.pattern().matcher(current);
      StringBuilder out = null;
      int last = 0;
      int from = 0;
      while (from <= current.length() && m.find(from)) {
        String value = m.group(detector.group());
        if (!detector.valid().test(value)) {
          // A look-alike may hide a value that starts inside it (`4486 13812345678`): look again
          // from the next character.
          from = m.start() + 1;
          continue;
        }
        if (out == null) {
          out = new StringBuilder(current.length());
        }
        int start = m.start(detector.group());
        out.append(current, last, start).append(session.placeholderFor(detector.kind(), value));
        last = m.end(detector.group());
        from = Math.max(m.end(), m.start() + 1);
      }
      if (out != null) {
        current = out.append(current, last, current.length()).toString();
      }
    }
    return current;
  }

  @Override
  public String toString() {
    return "PiiRedactor" + kinds;
  }
}
