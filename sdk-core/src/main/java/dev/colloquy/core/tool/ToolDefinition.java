package dev.colloquy.core.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.networknt.schema.Schema;
import dev.colloquy.core.internal.json.JsonSchemas;
import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.model.ToolSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tool an agent can run: its {@link ToolSpecification} (name, description, argument schema), the
 * code behind it, and whether calls need approval.
 *
 * <p>Made from {@link Tool}-annotated methods with {@link #fromAnnotated(Object)}, or at run time
 * with {@link #builder(String)}. Immutable and thread-safe (the handler must be too).
 */
public final class ToolDefinition {

  private final ToolSpecification specification;
  private final ToolHandler handler;
  private final boolean requiresApproval;
  private final Schema schema;

  ToolDefinition(ToolSpecification specification, ToolHandler handler, boolean requiresApproval) {
    this.specification = specification;
    this.handler = handler;
    this.requiresApproval = requiresApproval;
    this.schema = JsonSchemas.compile(specification.parameters());
  }

  /**
   * Returns a tool for each {@link Tool}-annotated public method of the object, in name order.
   *
   * @param target the object whose methods run
   * @throws IllegalArgumentException when the object has no tool methods, or a method's signature
   *     cannot be described (the message names the method)
   */
  public static List<ToolDefinition> fromAnnotated(Object target) {
    return AnnotatedTools.scan(Objects.requireNonNull(target, "target"));
  }

  /**
   * Starts a tool defined at run time.
   *
   * @param name the tool's name: 1 to 64 of A-Z a-z 0-9 _ . -
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Returns the name, description and argument schema offered to the model. */
  public ToolSpecification specification() {
    return specification;
  }

  /** Returns the tool's name. */
  public String name() {
    return specification.name();
  }

  /** Returns whether each call must be approved before it runs. */
  public boolean requiresApproval() {
    return requiresApproval;
  }

  /**
   * Parses tool arguments the one way Colloquy reads them: a single JSON object with nothing after
   * it, no name twice in an object and no number beyond a double's range; blank text is the empty
   * object. Read arguments with this wherever you show or log them (an approval screen, say) to see
   * exactly what the tool will get.
   *
   * @param argumentsJson the arguments as the model wrote them
   * @return the arguments object
   * @throws IllegalArgumentException naming the problem
   */
  public static ToolArguments parseArguments(String argumentsJson) {
    return new ToolArguments(
        JsonSchemas.parseArguments(Objects.requireNonNull(argumentsJson, "argumentsJson")));
  }

  /**
   * Parses (with {@link #parseArguments}) and checks arguments against the schema.
   *
   * @param argumentsJson the arguments as the model wrote them
   * @return the problems found, one per line-ready string, at most eleven; empty when the arguments
   *     are valid
   */
  public List<String> validate(String argumentsJson) {
    ToolArguments arguments;
    try {
      arguments = parseArguments(argumentsJson);
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
    return new ArrayList<>(JsonSchemas.violations(schema, arguments.tree()));
  }

  /**
   * Runs the tool on arguments that {@link #validate} accepted.
   *
   * @param argumentsJson the arguments, a JSON object
   * @param context the call's context
   * @return the result as text for the model
   * @throws IllegalArgumentException when the arguments do not parse
   */
  public String invoke(String argumentsJson, ToolContext context) {
    ToolArguments arguments;
    try {
      arguments = parseArguments(argumentsJson);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tool '" + name() + "': " + e.getMessage(), e);
    }
    Object result = handler.call(arguments, context);
    if (result == null) {
      return "done";
    }
    if (result instanceof CharSequence text) {
      return text.toString();
    }
    try {
      return JsonSchemas.MAPPER.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "tool '"
              + name()
              + "' returned a "
              + result.getClass().getName()
              + " that cannot be written as JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return "ToolDefinition[" + name() + (requiresApproval ? ", requires approval" : "") + "]";
  }

  /** Builds a {@link ToolDefinition} at run time. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private JsonSchema parameters;
    private ToolHandler handler;
    private boolean requiresApproval;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** Sets what the tool does (default: empty). */
    public Builder description(String value) {
      description = Objects.requireNonNull(value, "description");
      return this;
    }

    /**
     * Sets the JSON Schema of the argument object (default: no arguments).
     *
     * @throws IllegalStateException when the parameters were already set
     */
    public Builder parameters(JsonSchema schema) {
      if (parameters != null) {
        throw new IllegalStateException("parameters was already set to " + parameters);
      }
      parameters = Objects.requireNonNull(schema, "parameters");
      return this;
    }

    /**
     * Sets the argument schema from a Java type, a record say (default: no arguments); read the
     * arguments back as that type with {@link ToolArguments#as}.
     *
     * @throws IllegalArgumentException when the type cannot be described as a JSON Schema
     * @throws IllegalStateException when the parameters were already set
     */
    public Builder parameters(Class<?> argumentType) {
      return parameters(
          JsonSchemas.toSchema(
              JsonSchemas.schemaOf(Objects.requireNonNull(argumentType, "argumentType"))));
    }

    /** Sets the code behind the tool (required). */
    public Builder handler(ToolHandler value) {
      if (handler != null) {
        throw new IllegalStateException("handler was already set");
      }
      handler = Objects.requireNonNull(value, "handler");
      return this;
    }

    /** Makes each call need approval (default: no). */
    public Builder requiresApproval(boolean value) {
      requiresApproval = value;
      return this;
    }

    /** Returns the tool; the builder is unchanged. */
    public ToolDefinition build() {
      if (handler == null) {
        throw new IllegalStateException("tool '" + name + "' needs a handler");
      }
      ToolSpecification specification =
          parameters == null
              ? ToolSpecification.withoutParameters(name, description)
              : new ToolSpecification(name, description, parameters);
      return new ToolDefinition(specification, handler, requiresApproval);
    }
  }
}
