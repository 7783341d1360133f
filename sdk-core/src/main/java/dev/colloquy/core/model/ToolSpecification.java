package dev.colloquy.core.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool offered to the model: its name, what it does, and the JSON Schema of its arguments.
 *
 * @param name the name the model calls it by: 1 to 64 of A-Z a-z 0-9 _ . -
 * @param description what the tool does and when to use it; may be empty
 * @param parameters the JSON Schema of the argument object; a copy is kept and returned
 */
public record ToolSpecification(String name, String description, ObjectNode parameters) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** Validates the fields and copies the schema. */
  public ToolSpecification {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parameters, "parameters");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid tool name '" + name + "': expected 1 to 64 of A-Z a-z 0-9 _ . -");
    }
    if (!parameters.path("type").asText("object").equals("object")) {
      throw new IllegalArgumentException(
          "tool '"
              + name
              + "': the parameters schema must have type 'object', was "
              + parameters.get("type"));
    }
    parameters = parameters.deepCopy();
  }

  /** Creates a specification for a tool that takes no arguments. */
  public static ToolSpecification withoutParameters(String name, String description) {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("type", "object");
    schema.putObject("properties");
    schema.put("additionalProperties", false);
    return new ToolSpecification(name, description, schema);
  }

  /** Returns a copy of the argument schema. */
  @Override
  public ObjectNode parameters() {
    return parameters.deepCopy();
  }
}
