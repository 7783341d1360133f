package dev.colloquy.core.guard;

import dev.colloquy.core.model.JsonSchema;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The built-in guards. Each is immutable and thread-safe.
 *
 * <pre>{@code
 * Guard input = Guards.maxLength(8_000)
 *     .andThen(Guards.blockedTopics("weapons", "(?i)\\b(bomb|explosive)s?\\b"))
 *     .andThen(PiiRedactor.all().asGuard());
 * }</pre>
 */
public final class Guards {

  private Guards() {}

  /**
   * Returns a guard that blocks a text longer than {@code maxChars} characters (UTF-16 units).
   *
   * @param maxChars the most characters allowed; at least 1
   */
  public static Guard maxLength(int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be at least 1, was " + maxChars);
    }
    return Guard.of(
        "max-length",
        text ->
            text.length() <= maxChars
                ? GuardDecision.pass()
                : GuardDecision.block(
                    "the text is "
                        + text.length()
                        + " characters, over the limit of "
                        + maxChars
                        + "; shorten it"));
  }

  /**
   * Returns a guard that rewrites a text into Unicode's compatibility form (NFKC), so that a model
   * trained on plain text reads what people type: full-width digits and letters ({@code １０２３４}, as
   * many Chinese and Japanese input methods type them) become ASCII, ligatures and other
   * compatibility characters their plain letters, odd spaces (no-break, ideographic) a plain space.
   * Full-width punctuation ({@code ？，！：（）}) is kept: it is how Chinese and Japanese text is
   * written, not a variant of it. A text that is already normal passes.
   */
  public static Guard normalizeText() {
    return Guard.of(
        "normalize-text",
        text -> {
          String normal = normalize(text);
          return normal.equals(text)
              ? GuardDecision.pass()
              : GuardDecision.rewrite(normal, "Unicode NFKC normalization");
        });
  }

  // NFKC over the runs between full-width punctuation marks, which are kept as they are.
  private static String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (isFullWidthPunctuation(text.charAt(i))) {
        out.append(Normalizer.normalize(text.substring(start, i), Normalizer.Form.NFKC));
        out.append(text.charAt(i));
        start = i + 1;
      }
    }
    return out.append(Normalizer.normalize(text.substring(start), Normalizer.Form.NFKC)).toString();
  }

  // The full-width forms block (U+FF01 to U+FF5E) less its digits and Latin letters.
  private static boolean isFullWidthPunctuation(char c) {
    return c >= '\uFF01'
        && c <= '\uFF5E'
        && !(c >= '\uFF10' && c <= '\uFF19')
        && !(c >= '\uFF21' && c <= '\uFF3A')
        && !(c >= '\uFF41' && c <= '\uFF5A');
  }

  /**
   * Returns a guard that blocks a text in which any of the patterns is found.
   *
   * @param topic the topic's name, given as the reason; not blank
   * @param regexes Java regular expressions; at least one; add {@code (?i)} for case-insensitivity
   * @throws IllegalArgumentException when a pattern does not compile, naming it
   */
  public static Guard blockedTopics(String topic, String... regexes) {
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("a blocked topic needs a name");
    }
    if (regexes.length == 0) {
      throw new IllegalArgumentException(
          "blocked topic '" + topic + "' needs at least one pattern");
    }
    List<Pattern> patterns = new ArrayList<>(regexes.length);
    for (int i = 0; i < regexes.length; i++) {
      String regex = Objects.requireNonNull(regexes[i], "regexes[" + i + "]");
      try {
        patterns.add(Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "blocked topic '"
                + topic
                + "': pattern "
                + i
                + " does not compile: "
                + e.getDescription()
                + " at index "
                + e.getIndex()
                + " of "
                + regex,
            e);
      }
    }
    List<Pattern> frozen = List.copyOf(patterns);
    return Guard.of(
        "blocked-topic:" + topic,
        text -> {
          for (Pattern pattern : frozen) {
            if (pattern.matcher(text).find()) {
              return GuardDecision.block("the text touches the blocked topic '" + topic + "'");
            }
          }
          return GuardDecision.pass();
        });
  }

  /**
   * Returns an output guard that blocks a reply that is not one JSON value, and rewrites a reply
   * wrapped in a Markdown code fence to the JSON inside it. The block's reason says where parsing
   * failed, so an agent can re-ask the model with it.
   */
  public static Guard json() {
    return new JsonOutputGuard(null);
  }

  /**
   * Returns an output guard that blocks a reply that is not JSON fitting the schema (JSON Schema
   * draft 2020-12), and rewrites a fenced reply to the JSON inside. The block's reason lists each
   * violation with its JSON path, so an agent can re-ask the model with it.
   *
   * @param schema the JSON Schema
   */
  public static Guard jsonSchema(JsonSchema schema) {
    return new JsonOutputGuard(Objects.requireNonNull(schema, "schema"));
  }
}
