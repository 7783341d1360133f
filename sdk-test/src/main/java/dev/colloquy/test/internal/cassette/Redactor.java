package dev.colloquy.test.internal.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes credentials before a cassette is written: fields named like keys or authorization
 * headers, and bearer tokens or {@code sk-} keys inside any text. Replays redact the live request
 * the same way before matching, so a redacted value still matches.
 */
public final class Redactor {

  /** What a removed secret is replaced with. */
  public static final String REDACTED = "[REDACTED]";

  private static final Pattern SECRET_FIELD = Pattern.compile(
      "(?i)(api[-_]?key|x-api-key|authorization|proxy-authorization|secret|client[-_]?secret|password|access[-_]?token|refresh[-_]?token|bearer)");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
  private static final Pattern KEY = Pattern.compile("\\b(sk|rk|pk)-[A-Za-z0-9_-]{16,}");

  private Redactor() {
  }

  /** Redacts the node in place and returns it. */
  public static JsonNode redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        if (SECRET_FIELD.matcher(name).matches() && !value.isNull()) {
          object.put(name, REDACTED);
        } else if (value.isTextual()) {
          object.set(name, TextNode.valueOf(redactText(value.asText())));
        } else {
          redact(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual()) {
          array.set(i, TextNode.valueOf(redactText(array.get(i).asText())));
        } else {
          redact(array.get(i));
        }
      }
    }
    return node;
  }

  /** Replaces bearer tokens and API keys inside a text. */
  public static String redactText(String text) {
    String out = BEARER.matcher(text).replaceAll("$1" + REDACTED);
    return KEY.matcher(out).replaceAll(REDACTED);
  }
}
