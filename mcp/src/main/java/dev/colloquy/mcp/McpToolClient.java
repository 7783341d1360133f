package dev.colloquy.mcp;

import dev.colloquy.core.tool.ToolDefinition;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A client of one MCP server whose tools become ordinary Colloquy tools: {@link #tools()} lists
 * them, with their JSON Schemas, as {@link ToolDefinition}s to add to a {@code Toolbox}, which then
 * applies all its rules to them — the allow-list, argument validation against the schema, the
 * per-call timeout (which cancels the MCP request), approval, the result size cap and the budgets.
 *
 * <pre>{@code
 * try (McpToolClient files = McpToolClient.builder("files")
 *     .command("npx", "-y", "@modelcontextprotocol/server-filesystem", "/srv/docs")
 *     .allow("read_text_file", "list_directory")
 *     .build()) {
 *   Toolbox.Builder toolbox = Toolbox.builder().toolTimeout(Duration.ofSeconds(20));
 *   files.tools().forEach(toolbox::add);
 *   Agent agent = Agent.builder().model(model).toolbox(toolbox.build()).build();
 * }
 * }</pre>
 *
 * <p>Results: the text of the content blocks (images, audio and binary resources as placeholders;
 * structured content as JSON when there are no blocks); a result with {@code isError} fails the
 * call with {@link McpToolErrorException}, whose text goes back to the model. A server that dies
 * during a call fails it at once with {@link McpServerUnavailableException} (the exit status and
 * the last lines of its error output); the next call starts or reaches the server again. A JSON-RPC
 * error or a malformed result fails the call with {@link McpProtocolException}. A tool whose name
 * or input schema Colloquy cannot use is left out and listed by {@link #refused()}; the others stay
 * usable. Secret values (environment variables, headers) are removed from everything the server
 * sends back, results included, and never appear in a message or in {@link #toString()}.
 *
 * <p>The server is started (stdio) or reached (Streamable HTTP) on the first call of {@link
 * #tools()}, not by {@link Builder#build()}; its tool list is read then, once. Thread-safe; {@link
 * #close()} stops the process or ends the HTTP session.
 */
public final class McpToolClient implements AutoCloseable {

  /** The default time to start or reach the server, initialize and list its tools: 30 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final Endpoint endpoint;
  private final Connector connector;
  private final ToolListing listing;
  private final Object lock = new Object();
  private Connection connection;
  private List<McpSchema.Tool> listed;
  private boolean closed;

  private McpToolClient(
      String name,
      Endpoint endpoint,
      Set<String> allowed,
      String prefix,
      boolean requiresApproval,
      Duration connectTimeout) {
    this.name = name;
    this.endpoint = endpoint;
    this.connector = new Connector(name, endpoint, connectTimeout);
    this.listing =
        new ToolListing(
            connector::describe,
            allowed,
            prefix,
            requiresApproval,
            connector.redaction(),
            (tool, arguments, context) -> connector.call(connection(), tool, arguments, context));
  }

  /**
   * Starts a client.
   *
   * @param name the server's name in messages and thread names: 1 to 64 of A-Z a-z 0-9 _ . -
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Returns the server's name as the application calls it. */
  public String name() {
    return name;
  }

  /**
   * Returns the server's tools as Colloquy tools, in the server's order: those the allow-list
   * names, or all that Colloquy can use. The first call starts or reaches the server.
   *
   * @throws McpServerUnavailableException when the server cannot be started, reached or initialized
   *     within the connect timeout
   * @throws McpProtocolException when the allow-list names a tool the server does not offer, or one
   *     Colloquy cannot use (the message says why)
   * @throws IllegalStateException when the client is closed
   */
  public List<ToolDefinition> tools() {
    synchronized (lock) {
      connection();
      return listing.define(listed).tools();
    }
  }

  /**
   * Returns the tools the server lists that Colloquy cannot offer, with the reason; they are left
   * out of {@link #tools()}. The first call starts or reaches the server.
   *
   * @throws McpServerUnavailableException as {@link #tools()} does
   * @throws McpProtocolException as {@link #tools()} does
   */
  public List<McpRefusedTool> refused() {
    synchronized (lock) {
      connection();
      return listing.define(listed).refused();
    }
  }

  /** Stops the server's process, or ends the HTTP session; calls in flight fail. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (connection != null) {
        connection.close();
        connection = null;
      }
    }
  }

  /** Shows the name and transport: the program or the URL, never a secret value. */
  @Override
  public String toString() {
    return "McpToolClient[" + name + ", " + endpoint + "]";
  }

  // The live connection, made (again) when there is none or the last one was lost.
  private Connection connection() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("MCP client '" + name + "' is closed");
      }
      if (connection == null || connection.isLost()) {
        if (connection != null) {
          connection.close();
          connection = null;
        }
        Connector.Opened opened = connector.open();
        if (listed == null) {
          listed = opened.tools();
        }
        connection = opened.connection();
      }
      return connection;
    }
  }

  /**
   * Builds an {@link McpToolClient}: either {@link #command} (stdio) or {@link #url} (Streamable
   * HTTP). Each setting is validated when set and may be set once; a value given for a secret (an
   * environment variable, a header) is never shown in a message. Building connects nothing.
   */
  public static final class Builder {
    private static final java.util.regex.Pattern NAME =
        java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final String name;
    private List<String> command;
    private final Map<String, String> environment = new java.util.LinkedHashMap<>();
    private java.nio.file.Path directory;
    private java.net.URI url;
    private final Map<String, String> headers = new java.util.LinkedHashMap<>();
    private Set<String> allowed = Set.of();
    private String prefix = "";
    private boolean requiresApproval;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private final Set<String> set = new java.util.HashSet<>();

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "invalid MCP server name '" + name + "': expected 1 to 64 of A-Z a-z 0-9 _ . -");
      }
      this.name = name;
    }

    /**
     * Runs the server as a process and speaks to it over its standard input and output (stdio).
     *
     * @param program the program, such as {@code npx} or {@code /usr/bin/node}
     * @param arguments its arguments
     * @throws IllegalStateException when a command or a URL was already set
     */
    public Builder command(String program, String... arguments) {
      List<String> all = new ArrayList<>();
      all.add(Objects.requireNonNull(program, "program"));
      for (String argument : arguments) {
        all.add(Objects.requireNonNull(argument, "argument"));
      }
      return command(all);
    }

    /**
     * Runs the server as a process (stdio).
     *
     * @param programAndArguments the program, then its arguments; not empty
     * @throws IllegalStateException when a command or a URL was already set
     */
    public Builder command(List<String> programAndArguments) {
      List<String> copy = List.copyOf(programAndArguments);
      if (copy.isEmpty() || copy.get(0).isBlank()) {
        throw new IllegalArgumentException("command needs a program, was " + copy);
      }
      transport("command");
      command = copy;
      return this;
    }

    /**
     * Adds an environment variable to the server's process (stdio only), on top of the
     * application's environment. Its value is treated as a secret.
     *
     * @throws IllegalStateException when the variable was already set
     */
    public Builder environment(String variable, String value) {
      Objects.requireNonNull(variable, "variable");
      Objects.requireNonNull(value, "value");
      if (variable.isEmpty() || variable.indexOf('=') >= 0 || variable.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("invalid environment variable name '" + variable + "'");
      }
      if (environment.containsKey(variable)) {
        throw new IllegalStateException(
            "environment variable '" + variable + "' was already set (its value is not shown)");
      }
      environment.put(variable, value);
      return this;
    }

    /** Sets the server process's working directory (stdio; default: the application's). */
    public Builder workingDirectory(java.nio.file.Path value) {
      once("workingDirectory");
      directory = Objects.requireNonNull(value, "workingDirectory");
      return this;
    }

    /**
     * Reaches the server over Streamable HTTP at this endpoint, such as {@code
     * http://localhost:3001/mcp}.
     *
     * @throws IllegalArgumentException when it is not an absolute http or https URL
     * @throws IllegalStateException when a command or a URL was already set
     */
    public Builder url(java.net.URI endpoint) {
      Objects.requireNonNull(endpoint, "url");
      String scheme = endpoint.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "url must be an absolute http or https URL with a host, was "
                + (endpoint.getHost() == null ? "one without a host" : scheme + "://…"));
      }
      transport("url");
      url = endpoint;
      return this;
    }

    /** Reaches the server over Streamable HTTP; see {@link #url(java.net.URI)}. */
    public Builder url(String endpoint) {
      return url(java.net.URI.create(Objects.requireNonNull(endpoint, "url")));
    }

    /**
     * Adds a header to every HTTP request (URL only), such as {@code Authorization}. Its value is
     * treated as a secret.
     *
     * @throws IllegalStateException when the header was already set
     */
    public Builder header(String header, String value) {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(value, "value");
      if (!header.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("invalid header name '" + header + "'");
      }
      if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(header))) {
        throw new IllegalStateException(
            "header '" + header + "' was already set (its value is not shown)");
      }
      headers.put(header, value);
      return this;
    }

    /**
     * Offers only these of the server's tools, by the names the server gives them (default: every
     * tool Colloquy can use). Each must be listed by the server and usable, or {@link #tools()}
     * fails naming it.
     */
    public Builder allow(String... toolNames) {
      return allow(List.of(toolNames));
    }

    /** Offers only these of the server's tools; see {@link #allow(String...)}. */
    public Builder allow(java.util.Collection<String> toolNames) {
      once("allow");
      Set<String> names = new java.util.LinkedHashSet<>(toolNames);
      if (names.isEmpty()) {
        throw new IllegalArgumentException("allow needs at least one tool name");
      }
      allowed = java.util.Collections.unmodifiableSet(names);
      return this;
    }

    /**
     * Puts a prefix before each tool's name as the model sees it ({@code files_} gives {@code
     * files_read_file}), so that two servers' tools of the same name can share a toolbox (default:
     * none). The allow-list uses the server's names.
     */
    public Builder toolNamePrefix(String value) {
      once("toolNamePrefix");
      Objects.requireNonNull(value, "toolNamePrefix");
      if (!value.matches("[A-Za-z0-9_.-]{0,32}")) {
        throw new IllegalArgumentException(
            "toolNamePrefix must be up to 32 of A-Z a-z 0-9 _ . -, was '" + value + "'");
      }
      prefix = value;
      return this;
    }

    /** Makes every call of this server's tools need the toolbox's approval (default: no). */
    public Builder requiresApproval(boolean value) {
      once("requiresApproval");
      requiresApproval = value;
      return this;
    }

    /**
     * Sets how long starting or reaching the server, initializing and listing its tools may take,
     * from 1 ms to 10 min (default 30 s). Tool calls are timed by the toolbox instead.
     */
    public Builder connectTimeout(Duration value) {
      once("connectTimeout");
      Objects.requireNonNull(value, "connectTimeout");
      if (value.compareTo(Duration.ofMillis(1)) < 0
          || value.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "connectTimeout must be from 1 ms to 10 min, was " + value);
      }
      connectTimeout = value;
      return this;
    }

    /**
     * Returns the client; the builder is unchanged and nothing is started.
     *
     * @throws IllegalStateException when neither a command nor a URL was set, or environment
     *     variables come with a URL, or headers with a command
     */
    public McpToolClient build() {
      Endpoint endpoint;
      if (command != null) {
        if (!headers.isEmpty()) {
          throw new IllegalStateException(
              "MCP server '" + name + "': headers need a url, not a command");
        }
        endpoint =
            new Endpoint.Stdio(command, environment, java.util.Optional.ofNullable(directory));
      } else if (url != null) {
        if (!environment.isEmpty() || directory != null) {
          throw new IllegalStateException(
              "MCP server '"
                  + name
                  + "': environment variables and a working directory need a command, not a url");
        }
        endpoint = new Endpoint.Http(url, headers);
      } else {
        throw new IllegalStateException("MCP server '" + name + "' needs a command or a url");
      }
      return new McpToolClient(name, endpoint, allowed, prefix, requiresApproval, connectTimeout);
    }

    private void transport(String setting) {
      if (command != null || url != null) {
        throw new IllegalStateException(
            "MCP server '"
                + name
                + "': "
                + setting
                + " cannot be set, "
                + (command != null ? "a command (" + command.get(0) + ")" : "a url")
                + " was already set");
      }
    }

    private void once(String setting) {
      if (!set.add(setting)) {
        throw new IllegalStateException(setting + " was already set");
      }
    }
  }
}
