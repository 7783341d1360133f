package dev.colloquy.mcp;

import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.dsl.McpConnector;
import dev.colloquy.dsl.McpServerDefinition;
import dev.colloquy.dsl.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The MCP clients of an application, closed together: the {@link McpConnector} that agent
 * definition files need for their {@code mcp} declarations (colloquy-dsl on the class path), and
 * where the Spring starter keeps the clients of {@code colloquy.mcp.servers}.
 *
 * <pre>{@code
 * try (McpToolClients mcp = McpToolClients.create()) {
 *   Bindings bindings = Bindings.builder().model("shop-model", model).mcp(mcp).build();
 *   Definitions definitions = Definitions.load(Path.of("agents"), bindings);
 *   ...
 * }
 * }</pre>
 *
 * <p>A declaration gets one client, reused while it stays the same — so a reload of unchanged files
 * starts nothing new. A reload that changes a declaration starts a new client; the previous one
 * runs on until {@link #close()}, because the definitions that use it may still be serving a turn
 * (or stay in use, if the new files fail to load). A server that fails to connect is closed and
 * tried afresh at the next load. Thread-safe.
 */
public final class McpToolClients implements McpConnector, AutoCloseable {

  private final Duration connectTimeout;
  private final Map<Key, McpToolClient> declared = new LinkedHashMap<>();
  private final List<McpToolClient> all = new ArrayList<>();
  private boolean closed;

  private McpToolClients(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /** Returns an empty set; declared servers get the default connect timeout (30 s). */
  public static McpToolClients create() {
    return new McpToolClients(McpToolClient.DEFAULT_CONNECT_TIMEOUT);
  }

  /**
   * Returns an empty set whose declared servers get this connect timeout.
   *
   * @param connectTimeout from 1 ms to 10 min
   */
  public static McpToolClients create(Duration connectTimeout) {
    // Checked now, as the builder would check it at the first declaration.
    McpToolClient.builder("check").connectTimeout(connectTimeout);
    return new McpToolClients(connectTimeout);
  }

  /**
   * Adds a client built by the application, to be closed with the others.
   *
   * @return the client
   * @throws IllegalStateException when this set is closed (the client is closed too)
   */
  public synchronized McpToolClient add(McpToolClient client) {
    Objects.requireNonNull(client, "client");
    if (closed) {
      client.close();
      throw new IllegalStateException("these MCP clients are closed");
    }
    all.add(client);
    return client;
  }

  /** Returns the clients, in the order they were added or first declared. */
  public synchronized List<McpToolClient> clients() {
    return List.copyOf(all);
  }

  /**
   * Returns the tools of a server that definition files declare, starting or reaching it the first
   * time; see {@link McpToolClient#tools()}.
   *
   * @throws McpServerUnavailableException when it cannot be started or reached
   * @throws McpProtocolException when its allow-list names a tool it does not offer or Colloquy
   *     cannot use
   */
  @Override
  public List<ToolDefinition> tools(McpServerDefinition server) {
    Objects.requireNonNull(server, "server");
    Key key = Key.of(server);
    McpToolClient client;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("these MCP clients are closed");
      }
      client = declared.get(key);
      if (client == null) {
        client = build(server);
        declared.put(key, client);
        all.add(client);
      }
    }
    try {
      return client.tools();
    } catch (RuntimeException e) {
      synchronized (this) {
        declared.remove(key, client);
        all.remove(client);
      }
      client.close();
      throw e;
    }
  }

  private McpToolClient build(McpServerDefinition server) {
    McpToolClient.Builder builder =
        McpToolClient.builder(server.name()).connectTimeout(connectTimeout);
    if (!server.command().isEmpty()) {
      builder.command(server.command());
      server.environment().forEach((name, secret) -> builder.environment(name, secret.reveal()));
    } else {
      builder.url(server.url());
      server.headers().forEach((name, secret) -> builder.header(name, secret.reveal()));
    }
    if (!server.tools().isEmpty()) {
      builder.allow(server.tools());
    }
    return builder.build();
  }

  /** Closes every client; idempotent. */
  @Override
  public void close() {
    List<McpToolClient> closing;
    synchronized (this) {
      closed = true;
      closing = new ArrayList<>(all);
      all.clear();
      declared.clear();
    }
    RuntimeException failure = null;
    for (McpToolClient client : closing) {
      try {
        client.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public synchronized String toString() {
    return "McpToolClients" + all;
  }

  /** A declaration's identity, secret values included; never printed. */
  private record Key(
      String name,
      List<String> command,
      String url,
      Map<String, String> environment,
      Map<String, String> headers,
      List<String> tools) {

    static Key of(McpServerDefinition server) {
      return new Key(
          server.name(),
          server.command(),
          server.url(),
          values(server.environment()),
          values(server.headers()),
          server.tools());
    }

    private static Map<String, String> values(Map<String, Secret> secrets) {
      Map<String, String> values = new LinkedHashMap<>();
      secrets.forEach((name, secret) -> values.put(name, secret.reveal()));
      return values;
    }

    @Override
    public String toString() {
      return "Key[" + name + "]";
    }
  }
}
