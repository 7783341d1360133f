package dev.colloquy.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool offered to the model: its name, what it does, and the JSON Schema of its arguments.
 *
 * @param name the name the model calls it by: 1 to 64 of A-Z a-z 0-9 _ . -
 * @param description what the tool does and when to use it; may be empty
 * @param parameters the JSON Schema of the argument object; its {@code type}, where given, is
 *     {@code object}
 */
public record ToolSpecification(String name, String description, JsonSchema parameters) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final JsonSchema NO_PARAMETERS =
      JsonSchema.parse("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException when the name is invalid or the schema's type is not {@code
   *     object}
   */
  public ToolSpecification {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parameters, "parameters");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid tool name '" + name + "': expected 1 to 64 of A-Z a-z 0-9 _ . -");
    }
    if (!parameters.typeOr("object").equals("object")) {
      throw new IllegalArgumentException(
          "tool '"
              + name
              + "': the parameters schema must have type 'object', was "
              + parameters.typeJson());
    }
  }

  /** Creates a specification for a tool that takes no arguments. */
  public static ToolSpecification withoutParameters(String name, String description) {
    return new ToolSpecification(name, description, NO_PARAMETERS);
  }
}
