package dev.colloquy.core.internal.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one JSON object strictly, the one way Colloquy reads tool arguments and schemas: nothing
 * after it, no name twice in an object, no number beyond a double's range.
 */
final class StrictJson {

  private StrictJson() {}

  /**
   * Reads one JSON object strictly; the phrases start the messages ("the arguments are" not valid
   * JSON, "the arguments must" be a JSON object).
   */
  static ObjectNode object(String json, String subjectIs, String subjectMust) {
    JsonNode node;
    try (JsonParser parser = JsonSchemas.MAPPER.getFactory().createParser(json)) {
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      node = JsonSchemas.MAPPER.readTree(parser);
      if (node != null && node.isObject() && parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        throw new IllegalArgumentException(
            subjectMust
                + " be one JSON object; more text follows it at line "
                + at.getLineNr()
                + ", column "
                + at.getColumnNr());
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          subjectIs + " not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException(
          subjectMust + " be a JSON object, got: " + JsonSchemas.shorten(json, 100));
    }
    nonFinite(object)
        .ifPresent(
            path -> {
              throw new IllegalArgumentException(
                  path + ": the number is beyond the range of a double");
            });
    return object;
  }

  // Iterative, so deep nesting costs no stack; Jackson's nesting limit bounds the work.
  private static Optional<String> nonFinite(JsonNode root) {
    Deque<Map.Entry<String, JsonNode>> pending = new ArrayDeque<>();
    pending.push(Map.entry("$", root));
    while (!pending.isEmpty()) {
      Map.Entry<String, JsonNode> next = pending.pop();
      JsonNode node = next.getValue();
      if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
        return Optional.of(next.getKey());
      }
      if (node.isObject()) {
        node.properties()
            .forEach(
                p ->
                    pending.push(
                        Map.entry(
                            next.getKey()
                                + "."
                                + JsonSchemas.shorten(p.getKey(), JsonSchemas.MAX_NAME_CHARS),
                            p.getValue())));
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          pending.push(Map.entry(next.getKey() + "[" + i + "]", node.get(i)));
        }
      }
    }
    return Optional.empty();
  }
}
