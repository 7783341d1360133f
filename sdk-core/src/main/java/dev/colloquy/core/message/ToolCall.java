package dev.colloquy.core.message;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A request by the model to run one tool.
 *
 * @param id the identifier that links the call to its result; not blank
 * @param name the tool's name
 * @param arguments the arguments as the model wrote them: a JSON object in text form, kept verbatim
 *     (it may be invalid JSON, which the tool loop reports back to the model)
 */
public record ToolCall(String id, String name, String arguments) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** Validates the fields. */
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a tool call id must not be blank (tool '" + name + "')");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tool call '"
              + id
              + "' has an invalid tool name '"
              + name
              + "': expected 1 to 64 of A-Z a-z 0-9 _ . -");
    }
  }
}
