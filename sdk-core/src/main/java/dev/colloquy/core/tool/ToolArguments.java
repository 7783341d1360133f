package dev.colloquy.core.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.core.internal.json.JsonSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The arguments of one tool call, a JSON object read by {@link ToolDefinition#parseArguments}.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ToolArguments arguments = ToolDefinition.parseArguments("{\"city\": \"Lyon\", \"days\": 3}");
 * arguments.text("city");           // Optional[Lyon]
 * arguments.text("days");           // Optional[3]
 * arguments.as(Forecast.class);     // Forecast[city=Lyon, days=3], for record Forecast(String city, int days)
 * arguments.toJson();               // {"city":"Lyon","days":3}
 * }</pre>
 *
 * <p>Two argument objects are equal when they hold the same JSON value (members in any order).
 */
public final class ToolArguments {

  // Never handed out and never changed after construction.
  private final ObjectNode tree;

  ToolArguments(ObjectNode tree) {
    this.tree = tree;
  }

  /** Returns the argument names, in the order the model wrote them. */
  public List<String> names() {
    List<String> names = new ArrayList<>(tree.size());
    tree.fieldNames().forEachRemaining(names::add);
    return List.copyOf(names);
  }

  /**
   * Returns one argument as text: a JSON string's contents, any other value (a number, a boolean,
   * an object, an array) as its JSON text.
   *
   * @param name the argument's name
   * @return the text; empty when the argument is absent or {@code null}
   */
  public Optional<String> text(String name) {
    JsonNode value = tree.get(Objects.requireNonNull(name, "name"));
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    return Optional.of(value.isTextual() ? value.textValue() : value.toString());
  }

  /**
   * Maps the arguments onto a Java type, a record say, as {@link Tool} methods get theirs: unknown
   * names, a missing primitive and a number sent as a string are errors.
   *
   * @param type the type to map to
   * @return the value
   * @throws IllegalArgumentException when the arguments do not fit the type, saying where
   */
  public <T> T as(Class<T> type) {
    Objects.requireNonNull(type, "type");
    try {
      return JsonSchemas.MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "arguments do not fit " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Returns the arguments as compact JSON text, names in the order the model wrote them. */
  public String toJson() {
    // Written when asked for: most calls only read their arguments.
    return tree.toString();
  }

  /** Returns the named argument's value, or {@code null} when absent; for this package. */
  JsonNode get(String name) {
    return tree.get(name);
  }

  /** Returns the arguments' tree, which the caller must not change; for this package. */
  ObjectNode tree() {
    return tree;
  }

  /** Returns whether the other object holds the same arguments (members in any order). */
  @Override
  public boolean equals(Object other) {
    return other instanceof ToolArguments arguments && tree.equals(arguments.tree);
  }

  @Override
  public int hashCode() {
    return tree.hashCode();
  }

  /** Returns the arguments' compact JSON text, as {@link #toJson()} does. */
  @Override
  public String toString() {
    return toJson();
  }
}
