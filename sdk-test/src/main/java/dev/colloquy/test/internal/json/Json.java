package dev.colloquy.test.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Comparator;
import java.util.Optional;

/** The test kit's one Jackson mapper and the JSON comparisons its assertions share. */
public final class Json {

  /** Pretty-printing mapper; Jackson's default limits (nesting depth 1000) guard bad input. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  // Numbers compare by value, so an expected int 1001 equals a parsed long 1001 or 1001.0.
  private static final Comparator<JsonNode> NUMERIC_AWARE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private Json() {}

  /** Parses JSON text, or returns empty when it is not valid JSON. */
  public static Optional<JsonNode> parse(String text) {
    try {
      return Optional.ofNullable(MAPPER.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** Returns whether two JSON values are equal, numbers compared by value. */
  public static boolean sameValue(JsonNode expected, JsonNode actual) {
    return expected.equals(NUMERIC_AWARE, actual);
  }

  /** Converts a Java value (number, string, boolean, map, list, record, JsonNode) to JSON. */
  public static JsonNode toNode(Object value) {
    return value instanceof JsonNode node ? node : MAPPER.valueToTree(value);
  }

  /** Writes a value as one-line JSON. */
  public static String compact(JsonNode node) {
    return node.toString();
  }
}
