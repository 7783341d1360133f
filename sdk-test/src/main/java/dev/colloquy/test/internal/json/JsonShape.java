package dev.colloquy.test.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks JSON against a shape: a JSON document whose string leaves name types ({@code string number
 * integer boolean null object array any}); objects list required fields (extra fields allowed); an
 * array of one shape means every element has that shape; any other leaf must be equal. Iterative
 * depth is bounded by Jackson's nesting limit.
 */
public final class JsonShape {

  /** The type names a shape leaf may hold. */
  public static final Set<String> TYPES =
      Set.of("string", "number", "integer", "boolean", "null", "object", "array", "any");

  private JsonShape() {}

  /**
   * Returns what is wrong with {@code actualText} against the shape, or empty when it fits.
   *
   * @throws IllegalArgumentException when the shape is not valid JSON
   */
  public static Optional<String> check(String shapeText, String actualText) {
    JsonNode shape =
        Json.parse(shapeText)
            .orElseThrow(
                () -> new IllegalArgumentException("the shape is not valid JSON: " + shapeText));
    Optional<JsonNode> actual = Json.parse(actualText.strip());
    if (actual.isEmpty()) {
      return Optional.of("it is not valid JSON");
    }
    return check(shape, actual.get(), "$");
  }

  /** Returns what is wrong with {@code actual} at {@code path} against the shape, or empty. */
  public static Optional<String> check(JsonNode shape, JsonNode actual, String path) {
    if (shape.isTextual() && TYPES.contains(shape.asText())) {
      return hasType(actual, shape.asText())
          ? Optional.empty()
          : Optional.of(path + " is " + describe(actual) + ", not " + article(shape.asText()));
    }
    if (shape.isObject()) {
      if (!actual.isObject()) {
        return Optional.of(path + " is " + describe(actual) + ", not an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = shape.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode value = actual.get(field.getKey());
        if (value == null) {
          return Optional.of(path + "." + field.getKey() + " is missing");
        }
        Optional<String> problem = check(field.getValue(), value, path + "." + field.getKey());
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    if (shape.isArray()) {
      if (!actual.isArray()) {
        return Optional.of(path + " is " + describe(actual) + ", not an array");
      }
      if (shape.size() == 0) {
        return Optional.empty();
      }
      for (int i = 0; i < actual.size(); i++) {
        Optional<String> problem = check(shape.get(0), actual.get(i), path + "[" + i + "]");
        if (problem.isPresent()) {
          return problem;
        }
      }
      return Optional.empty();
    }
    return Json.sameValue(shape, actual)
        ? Optional.empty()
        : Optional.of(path + " is " + actual + ", not " + shape);
  }

  private static boolean hasType(JsonNode node, String type) {
    return switch (type) {
      case "string" -> node.isTextual();
      case "number" -> node.isNumber();
      case "integer" -> node.isIntegralNumber();
      case "boolean" -> node.isBoolean();
      case "null" -> node.isNull();
      case "object" -> node.isObject();
      case "array" -> node.isArray();
      default -> true;
    };
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "the string " + node;
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    return node.toString();
  }

  private static String article(String type) {
    return switch (type) {
      case "integer", "object", "array" -> "an " + type;
      case "null" -> "null";
      case "any" -> "anything";
      default -> "a " + type;
    };
  }
}
