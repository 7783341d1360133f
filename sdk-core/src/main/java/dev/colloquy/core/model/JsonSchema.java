package dev.colloquy.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.core.internal.json.SchemaReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A JSON Schema: the shape of a tool's arguments or of a structured reply. Immutable and
 * thread-safe.
 *
 * <p>Made from JSON text with {@link #parse(String)}, which checks that the text is one JSON object
 * and a valid schema (JSON Schema draft 2020-12, or the draft its {@code $schema} names), so a
 * {@code JsonSchema} in hand is always usable.
 *
 * <pre>{@code
 * JsonSchema city = JsonSchema.parse("""
 *     {"type": "object",
 *      "properties": {"city": {"type": "string"}},
 *      "required": ["city"]}
 *     """);
 * city.toJson();        // {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}
 * city.propertyNames(); // [city]
 * }</pre>
 *
 * <p>Two schemas are equal when they hold the same JSON value: the order of an object's members
 * does not matter (as in JSON), the order of array elements does. {@link #toJson()} keeps the
 * members in the order they were written, because that is the order a model reads them in.
 */
public final class JsonSchema {

  // Never handed out and never changed after construction.
  private final ObjectNode tree;
  private final String json;

  private JsonSchema(ObjectNode tree) {
    this.tree = tree;
    this.json = tree.toString();
  }

  /**
   * Reads a JSON Schema from JSON text. The text must be one JSON object and nothing after it, with
   * no name twice in an object and no number beyond a double's range, and it must fit the
   * meta-schema of its draft.
   *
   * @param json the schema as JSON text
   * @return the schema
   * @throws JsonSchemaException saying what is wrong: where the text stops being JSON (line and
   *     column), or each place the schema breaks the meta-schema (its JSON path)
   */
  public static JsonSchema parse(String json) {
    return new JsonSchema(SchemaReader.read(Objects.requireNonNull(json, "json")));
  }

  /**
   * Returns the schema as compact JSON text: no whitespace between tokens, members in the order
   * they were written, numbers and strings in one normal form. {@code parse(s.toJson())} equals
   * {@code s}.
   */
  public String toJson() {
    return json;
  }

  /**
   * Returns the names in the schema's {@code properties}, in the order they were written; empty
   * when it has none.
   */
  public List<String> propertyNames() {
    List<String> names = new ArrayList<>();
    tree.path("properties").fieldNames().forEachRemaining(names::add);
    return List.copyOf(names);
  }

  /** Returns the names the schema's {@code required} lists, in order; empty when it has none. */
  public List<String> required() {
    List<String> names = new ArrayList<>();
    for (JsonNode name : tree.path("required")) {
      names.add(name.asText());
    }
    return List.copyOf(names);
  }

  /** Returns the top-level {@code type} as text, {@code fallback} when it is absent or null. */
  String typeOr(String fallback) {
    return tree.path("type").asText(fallback);
  }

  /** Returns the top-level {@code type} as JSON text, {@code "null"} when it is absent. */
  String typeJson() {
    return String.valueOf(tree.get("type"));
  }

  /**
   * Returns whether the other object is a {@code JsonSchema} holding the same JSON value (members
   * in any order).
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof JsonSchema schema && tree.equals(schema.tree);
  }

  @Override
  public int hashCode() {
    return tree.hashCode();
  }

  /** Returns the schema's compact JSON text, as {@link #toJson()} does. */
  @Override
  public String toString() {
    return json;
  }
}
