package dev.colloquy.core.guard;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reversible redaction for one turn: the model sees {@code [EMAIL_1]}, a tool the model calls with
 * {@code [EMAIL_1]} gets the real address back through {@link #restore}. The same value gets the
 * same placeholder throughout the session.
 *
 * <p>The values live only in this object: it has no accessor for them, its {@code toString} shows
 * only how many it holds, and it should be dropped when the turn ends. Thread-safe.
 */
public final class RedactionSession {

  // As the session writes them, and as a model may copy them: full-width brackets or digits.
  private static final Pattern PLACEHOLDER =
      Pattern.compile("[\\[\\uFF3B]([A-Z]+)_(\\p{Nd}+)[\\]\\uFF3D]");

  private final PiiRedactor redactor;
  private final Map<String, String> valueByPlaceholder = new LinkedHashMap<>();
  private final Map<String, String> placeholderByValue = new HashMap<>();
  private final Map<String, Integer> countByLabel = new HashMap<>();

  RedactionSession(PiiRedactor redactor) {
    this.redactor = redactor;
  }

  /**
   * Returns the text with each value found replaced by its placeholder, remembering the values.
   *
   * @param text the text to redact
   */
  public synchronized String redact(String text) {
    return redactor.replace(Objects.requireNonNull(text, "text"), this);
  }

  /**
   * Returns the text with every placeholder of this session replaced by its value, exactly as it
   * was found (full-width digits stay full-width); placeholders this session did not make are left
   * as they are. A placeholder the model copied with full-width brackets or digits ({@code
   * ［EMAIL_１］}) is restored too.
   *
   * @param text text written by the model, such as a tool call's arguments
   */
  public synchronized String restore(String text) {
    Objects.requireNonNull(text, "text");
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String value =
          valueByPlaceholder.get("[" + m.group(1) + "_" + PiiDetector.digits(m.group(2)) + "]");
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    return m.appendTail(out).toString();
  }

  /** Returns how many distinct values this session has replaced. */
  public synchronized int size() {
    return valueByPlaceholder.size();
  }

  /** Returns a guard that redacts through this session, so its values can be restored later. */
  public Guard asGuard() {
    return Guard.of(
        "pii-redaction",
        text -> {
          int before = size();
          String redacted = redact(text);
          if (redacted.equals(text)) {
            return GuardDecision.pass();
          }
          return GuardDecision.rewrite(
              redacted,
              "redacted " + Math.max(size() - before, 1) + " personal value(s) or secret(s)");
        });
  }

  String placeholderFor(PiiKind kind, String value) {
    String existing = placeholderByValue.get(value);
    if (existing != null) {
      return existing;
    }
    int n = countByLabel.merge(kind.label(), 1, Integer::sum);
    String placeholder = "[" + kind.label() + "_" + n + "]";
    placeholderByValue.put(value, placeholder);
    valueByPlaceholder.put(placeholder, value);
    return placeholder;
  }

  @Override
  public synchronized String toString() {
    return "RedactionSession[" + valueByPlaceholder.size() + " value(s) held]";
  }
}
