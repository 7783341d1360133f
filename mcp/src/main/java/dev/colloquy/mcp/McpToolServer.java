package dev.colloquy.mcp;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.tool.Toolbox;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Serves a Colloquy {@link Toolbox} — and, optionally, agents as tools — to MCP clients, over stdio
 * or Streamable HTTP. Every call goes through the toolbox's own rules, as an agent's would: the
 * allow-list (only allowed tools are listed), argument validation, approval, the per-call timeout
 * and the result size cap; a failure is an error result ({@code isError: true}) with the toolbox's
 * message, never a protocol error.
 *
 * <pre>{@code
 * McpToolServer server = McpToolServer.builder(toolbox)
 *     .name("shop-tools")
 *     .agent("ask_support", "Answers questions about orders", supportAgent)
 *     .build();
 * server.serveStdio();                          // a process that other MCP clients start
 * HttpServlet servlet = server.httpServlet();   // or mount this at /mcp, async supported
 * }</pre>
 *
 * <p>Each {@code serve…} or {@code httpServlet} call starts one SDK server on one transport; {@link
 * #close()} stops them all. Thread-safe.
 */
public final class McpToolServer implements AutoCloseable {

  private final Toolbox toolbox;
  private final String name;
  private final String version;
  private final Map<String, AgentTool> agents;
  private final List<McpSyncServer> running = new ArrayList<>();
  private boolean closed;

  private McpToolServer(Builder builder) {
    this.toolbox = builder.toolbox;
    this.name = builder.name;
    this.version = builder.version;
    this.agents = Map.copyOf(builder.agents);
  }

  /**
   * Starts a server of a toolbox.
   *
   * @param toolbox the tools to serve; only its allowed tools are listed
   */
  public static Builder builder(Toolbox toolbox) {
    return new Builder(toolbox);
  }

  /**
   * Serves over this process's standard input and output, until {@link #close()} or the end of the
   * input. Nothing else may write to standard output (log to standard error).
   */
  public void serveStdio() {
    serveStdio(System.in, System.out);
  }

  /**
   * Serves one client over these streams, newline-delimited JSON-RPC, until {@link #close()} or the
   * end of the input.
   */
  public void serveStdio(InputStream input, OutputStream output) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    start(
        McpServer.sync(new StdioServerTransportProvider(Connector.MAPPER, input, output))
            .serverInfo(name, version)
            .capabilities(capabilities())
            .validateToolInputs(false)
            .tools(tools())
            .build());
  }

  /**
   * Returns a servlet serving Streamable HTTP (POSTs answered with JSON or SSE, the GET stream,
   * DELETE to end a session), to mount at {@code /mcp} in the application's servlet container with
   * async support on (Spring Boot: a {@code ServletRegistrationBean}). Needs {@code
   * jakarta.servlet-api} 6.1 on the class path.
   */
  public jakarta.servlet.http.HttpServlet httpServlet() {
    return httpServlet("/mcp");
  }

  /**
   * Returns a servlet serving Streamable HTTP at a path other than {@code /mcp}; see {@link
   * #httpServlet()}.
   *
   * @param endpoint the path the servlet is mounted at, such as {@code /tools/mcp}
   */
  public jakarta.servlet.http.HttpServlet httpServlet(String endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!endpoint.startsWith("/")) {
      throw new IllegalArgumentException("endpoint must start with '/', was '" + endpoint + "'");
    }
    // In a class of its own: this one must load without the servlet API (a stdio server).
    return ServletTransport.serve(this, endpoint);
  }

  void serve(McpServer.StreamableSyncSpecification server) {
    start(
        server
            .serverInfo(name, version)
            .capabilities(capabilities())
            .validateToolInputs(false)
            .tools(tools())
            .build());
  }

  private synchronized void start(McpSyncServer server) {
    if (closed) {
      server.close();
      throw new IllegalStateException("MCP server '" + name + "' is closed");
    }
    running.add(server);
  }

  private static McpSchema.ServerCapabilities capabilities() {
    return McpSchema.ServerCapabilities.builder().tools(false).build();
  }

  private List<McpServerFeatures.SyncToolSpecification> tools() {
    List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
    ServedTools served = new ServedTools(toolbox, Connector.MAPPER);
    toolbox.specifications().forEach(specification -> tools.add(served.tool(specification)));
    agents.forEach((tool, agent) -> tools.add(served.agent(tool, agent.description, agent.agent)));
    return tools;
  }

  /** Stops every transport this server started; clients are disconnected. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    for (McpSyncServer server : running) {
      server.close();
    }
    running.clear();
  }

  @Override
  public String toString() {
    return "McpToolServer[" + name + " " + version + ", tools=" + toolNames() + "]";
  }

  private List<String> toolNames() {
    List<String> names = new ArrayList<>();
    toolbox.specifications().forEach(specification -> names.add(specification.name()));
    names.addAll(new java.util.TreeSet<>(agents.keySet()));
    return names;
  }

  private record AgentTool(String description, Agent agent) {}

  /** Builds an {@link McpToolServer}; each setting is validated when set and may be set once. */
  public static final class Builder {
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Toolbox toolbox;
    private String name = "colloquy";
    private String version = "1.0.0";
    private final Map<String, AgentTool> agents = new LinkedHashMap<>();
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private Builder(Toolbox toolbox) {
      this.toolbox = Objects.requireNonNull(toolbox, "toolbox");
    }

    /** Sets the name clients see in {@code serverInfo} (default {@code colloquy}). */
    public Builder name(String value) {
      once("name");
      name = nonBlank(value, "name");
      return this;
    }

    /** Sets the version clients see in {@code serverInfo} (default {@code 1.0.0}). */
    public Builder version(String value) {
      once("version");
      version = nonBlank(value, "version");
      return this;
    }

    /**
     * Offers an agent as a tool: it takes {@code {"message": "...", "conversation": "..."}} and
     * answers with the agent's reply to the message, in that conversation (default: the MCP
     * session's). A failed turn is an error result with the failure's message.
     *
     * @param tool the tool's name: 1 to 64 of A-Z a-z 0-9 _ . -, not a name of the toolbox
     * @param description what the agent is for, for the client's model
     * @param agent the agent
     */
    public Builder agent(String tool, String description, Agent agent) {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(agent, "agent");
      if (!TOOL_NAME.matcher(tool).matches()) {
        throw new IllegalArgumentException(
            "invalid tool name '" + tool + "': expected 1 to 64 of A-Z a-z 0-9 _ . -");
      }
      if (agents.containsKey(tool) || toolbox.tool(tool).isPresent()) {
        throw new IllegalStateException("a tool named '" + tool + "' was already added");
      }
      agents.put(tool, new AgentTool(description, agent));
      return this;
    }

    /** Returns the server, serving nothing yet; the builder is unchanged. */
    public McpToolServer build() {
      return new McpToolServer(this);
    }

    private void once(String setting) {
      if (!set.add(setting)) {
        throw new IllegalStateException(setting + " was already set");
      }
    }

    private static String nonBlank(String value, String setting) {
      Objects.requireNonNull(value, setting);
      if (value.isBlank()) {
        throw new IllegalArgumentException(setting + " must not be blank");
      }
      return value;
    }
  }
}
