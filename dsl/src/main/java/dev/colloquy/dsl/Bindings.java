package dev.colloquy.dsl;

import dev.colloquy.core.guard.Guard;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.observe.Tracing;
import dev.colloquy.core.tool.ToolDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the application lends to definition files, by name: models, tools, Java functions,
 * predicates, guards, the environment that secrets are read from, and the connector of the MCP
 * servers that files declare. A definition naming something absent here fails at load time with the
 * names that are present.
 *
 * <pre>{@code
 * Bindings bindings = Bindings.builder()
 *     .model("shop-model", model)
 *     .tools(new OrderTools())              // its @Tool methods, by their tool names
 *     .function("escalate", input -> tickets.open(input))
 *     .predicate("resolved", output -> output.toString().contains("RESOLVED"))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Bindings {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, ChatModel> models;
  private final Map<String, ToolDefinition> tools;
  private final Map<String, Function<Object, Object>> functions;
  private final Map<String, Predicate<Object>> predicates;
  private final Map<String, Guard> guards;
  private final Function<String, Optional<String>> environment;
  private final Tracing tracing;
  private final McpConnector mcp;

  private Bindings(Builder b) {
    models = Map.copyOf(b.models);
    tools = Map.copyOf(b.tools);
    functions = Map.copyOf(b.functions);
    predicates = Map.copyOf(b.predicates);
    guards = Map.copyOf(b.guards);
    environment =
        b.environment != null ? b.environment : name -> Optional.ofNullable(System.getenv(name));
    tracing = b.tracing;
    mcp = b.mcp;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns bindings with nothing bound and the process environment. */
  public static Bindings empty() {
    return builder().build();
  }

  /** Returns the model bound to a name. */
  public Optional<ChatModel> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /** Returns the tool with a name. */
  public Optional<ToolDefinition> tool(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** Returns the function bound to a name. */
  public Optional<Function<Object, Object>> function(String name) {
    return Optional.ofNullable(functions.get(name));
  }

  /** Returns the predicate bound to a name. */
  public Optional<Predicate<Object>> predicate(String name) {
    return Optional.ofNullable(predicates.get(name));
  }

  /** Returns the guard bound to a name. */
  public Optional<Guard> guard(String name) {
    return Optional.ofNullable(guards.get(name));
  }

  /** Returns the names of the bound guards. */
  public Set<String> guardNames() {
    return guards.keySet();
  }

  /** Returns the names of the bound models. */
  public Set<String> modelNames() {
    return models.keySet();
  }

  /** Returns the names of the bound tools. */
  public Set<String> toolNames() {
    return tools.keySet();
  }

  /** Returns the names of the bound functions. */
  public Set<String> functionNames() {
    return functions.keySet();
  }

  /** Returns the names of the bound predicates. */
  public Set<String> predicateNames() {
    return predicates.keySet();
  }

  /** Returns the tracing of the defined agents and flows, if set. */
  public Optional<Tracing> tracing() {
    return Optional.ofNullable(tracing);
  }

  /** Returns the connector of the MCP servers that files declare, when one is bound. */
  public Optional<McpConnector> mcp() {
    return Optional.ofNullable(mcp);
  }

  /** Returns the value of an environment variable, for secrets. */
  public Optional<String> environmentVariable(String name) {
    return environment.apply(Objects.requireNonNull(name, "name"));
  }

  /** Builds {@link Bindings}. Each name may be bound once per kind. */
  public static final class Builder {
    private final Map<String, ChatModel> models = new LinkedHashMap<>();
    private final Map<String, ToolDefinition> tools = new LinkedHashMap<>();
    private final Map<String, Function<Object, Object>> functions = new LinkedHashMap<>();
    private final Map<String, Predicate<Object>> predicates = new LinkedHashMap<>();
    private final Map<String, Guard> guards = new LinkedHashMap<>();
    private Function<String, Optional<String>> environment;
    private Tracing tracing;
    private McpConnector mcp;

    private Builder() {}

    /**
     * Binds a model, named in files as a string: {@code model "shop-model"}.
     *
     * @param name any non-blank name
     * @param model the model
     */
    public Builder model(String name, ChatModel model) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("model name must not be blank");
      }
      put(models, "model", name, Objects.requireNonNull(model, "model"));
      return this;
    }

    /**
     * Binds a tool under its own name, used by {@code tools name} in agents and {@code tool name}
     * in flows. A tool whose name has {@code .} or {@code -} cannot be named in a file.
     *
     * @param tool the tool
     */
    public Builder tool(ToolDefinition tool) {
      Objects.requireNonNull(tool, "tool");
      put(tools, "tool", tool.name(), tool);
      return this;
    }

    /**
     * Binds each {@link dev.colloquy.core.tool.Tool}-annotated method of an object as a tool.
     *
     * @param annotated the object
     * @throws IllegalArgumentException when it has no tool methods
     */
    public Builder tools(Object annotated) {
      for (ToolDefinition tool :
          ToolDefinition.fromAnnotated(Objects.requireNonNull(annotated, "annotated"))) {
        tool(tool);
      }
      return this;
    }

    /**
     * Binds a function, used by {@code call name} and {@code join name} in flows.
     *
     * @param name an identifier
     * @param function the function
     */
    public Builder function(String name, Function<Object, Object> function) {
      put(functions, "function", identifier(name), Objects.requireNonNull(function, "function"));
      return this;
    }

    /**
     * Binds a predicate, used by {@code if name} and {@code until name} in flows.
     *
     * @param name an identifier
     * @param predicate the predicate
     */
    public Builder predicate(String name, Predicate<Object> predicate) {
      put(
          predicates,
          "predicate",
          identifier(name),
          Objects.requireNonNull(predicate, "predicate"));
      return this;
    }

    /**
     * Binds a guard, used by {@code guard input name} and {@code guard output name} in agents.
     *
     * @param name an identifier
     * @param guard the guard, such as {@code Guards.maxLength(2000)}
     */
    public Builder guard(String name, Guard guard) {
      put(guards, "guard", identifier(name), Objects.requireNonNull(guard, "guard"));
      return this;
    }

    /**
     * Sets where secrets' environment variables are read (default: the process environment).
     *
     * @param lookup returns a variable's value, or empty when unset
     */
    public Builder environment(Function<String, Optional<String>> lookup) {
      if (environment != null) {
        throw new IllegalStateException("environment was already set");
      }
      environment = Objects.requireNonNull(lookup, "environment");
      return this;
    }

    /**
     * Traces the defined agents (their turns, model and tool calls) and flows (an {@code
     * invoke_workflow} span each) (default: no tracing).
     */
    public Builder tracing(Tracing value) {
      if (tracing != null) {
        throw new IllegalStateException("tracing was already set to " + tracing);
      }
      tracing = Objects.requireNonNull(value, "tracing");
      return this;
    }

    /**
     * Sets what connects the MCP servers that files declare with {@code mcp name { ... }} (default:
     * none, and loading a file whose agent uses one fails, saying so). colloquy-mcp's {@code
     * McpToolClients} is one; the application closes it.
     *
     * @param connector the connector
     */
    public Builder mcp(McpConnector connector) {
      if (mcp != null) {
        throw new IllegalStateException("mcp was already set to " + mcp);
      }
      mcp = Objects.requireNonNull(connector, "mcp");
      return this;
    }

    /** Returns the bindings; the builder is unchanged. */
    public Bindings build() {
      return new Bindings(this);
    }

    private static <T> void put(Map<String, T> map, String kind, String name, T value) {
      if (map.containsKey(name)) {
        throw new IllegalStateException(
            kind + " '" + name + "' was already bound to " + map.get(name));
      }
      map.put(name, value);
    }

    private static String identifier(String name) {
      Objects.requireNonNull(name, "name");
      if (!IDENTIFIER.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "name must be a letter or `_` followed by letters, digits or `_`, was '" + name + "'");
      }
      return name;
    }
  }
}
