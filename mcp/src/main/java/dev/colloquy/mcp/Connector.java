package dev.colloquy.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.tool.ToolArguments;
import dev.colloquy.core.tool.ToolContext;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens connections to one server (start or reach it, initialize, list its tools) and makes its
 * tool calls, turning every failure into one of our three exceptions with a message that names the
 * server, its transport and the tool, and never a secret value.
 */
final class Connector {

  static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(new ObjectMapper());
  // The SDK's validator (networknt, as core's): it caches each compiled schema; thread-safe.
  private static final JsonSchemaValidator VALIDATOR =
      new DefaultJsonSchemaValidator(new ObjectMapper());

  // The toolbox's per-call timeout is the one that counts; this only ends what nobody waits for.
  private static final Duration REQUEST_BACKSTOP = Duration.ofHours(25);
  private static final int MAX_LIST_PAGES = 100;

  /** A new connection and the tools the server listed on it. */
  record Opened(Connection connection, List<McpSchema.Tool> tools) {}

  private final String name;
  private final Endpoint endpoint;
  private final Redaction redaction;
  private final Duration connectTimeout;
  // The output schemas of the tools that declare one, by the server's tool name.
  private final Map<String, Map<String, Object>> outputSchemas = new ConcurrentHashMap<>();

  Connector(String name, Endpoint endpoint, Duration connectTimeout) {
    this.name = name;
    this.endpoint = endpoint;
    this.redaction = endpoint.redaction();
    this.connectTimeout = connectTimeout;
  }

  Redaction redaction() {
    return redaction;
  }

  String describe() {
    return "MCP server '" + name + "' (" + endpoint.describe() + ")";
  }

  /**
   * Starts or reaches the server, initializes the session and lists the tools.
   *
   * @throws McpServerUnavailableException when any of it fails or takes longer than the timeout
   */
  Opened open() {
    Connection opened;
    McpClientTransport transport;
    if (endpoint instanceof Endpoint.Stdio stdio) {
      ProcessTransport process = new ProcessTransport(name, stdio, MAPPER);
      transport = process;
      opened = new Connection(process, process.lost(), process::errorTail);
    } else {
      AtomicReference<Connection> self = new AtomicReference<>();
      transport =
          new HttpTransport(
              (Endpoint.Http) endpoint,
              MAPPER,
              connectTimeout,
              failure -> {
                Connection current = self.get();
                if (current != null) {
                  current.probe(ForeignCause.describe(failure, redaction));
                }
              });
      opened = new Connection(transport, new CompletableFuture<>(), () -> "");
      self.set(opened);
    }
    try {
      McpAsyncClient client =
          McpClient.async(transport)
              .clientInfo(
                  McpSchema.Implementation.builder("colloquy", version()).title("Colloquy").build())
              .requestTimeout(REQUEST_BACKSTOP)
              .initializationTimeout(connectTimeout)
              .jsonSchemaValidator(VALIDATOR)
              .build();
      opened.attach(client);
      opened.await(client.initialize(), connectTimeout, Cancellation.none(), "initialize");
      List<McpSchema.Tool> tools = listTools(opened, client);
      for (McpSchema.Tool tool : tools) {
        if (tool.name() != null && tool.outputSchema() != null) {
          outputSchemas.put(tool.name(), tool.outputSchema());
        }
      }
      return new Opened(opened, tools);
    } catch (ExecutionException e) {
      opened.close();
      throw cannotConnect(opened, e.getCause());
    } catch (TimeoutException e) {
      opened.close();
      throw new McpServerUnavailableException(
          describe()
              + " did not finish connecting within "
              + connectTimeout.toMillis()
              + " ms"
              + tail(opened),
          null);
    } catch (McpServerUnavailableException e) {
      opened.close();
      throw e;
    } catch (RuntimeException e) {
      opened.close();
      throw cannotConnect(opened, e);
    }
  }

  private List<McpSchema.Tool> listTools(Connection opened, McpAsyncClient client)
      throws ExecutionException, TimeoutException {
    if (client.getServerCapabilities() == null || client.getServerCapabilities().tools() == null) {
      return List.of();
    }
    List<McpSchema.Tool> tools = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < MAX_LIST_PAGES; page++) {
      McpSchema.ListToolsResult result =
          opened.await(
              cursor == null ? client.listTools() : client.listTools(cursor),
              connectTimeout,
              Cancellation.none(),
              "tools/list");
      if (result.tools() != null) {
        tools.addAll(result.tools());
      }
      cursor = result.nextCursor();
      if (cursor == null || cursor.isEmpty()) {
        break;
      }
    }
    return List.copyOf(tools);
  }

  private McpServerUnavailableException cannotConnect(Connection opened, Throwable cause) {
    if (cause instanceof McpServerUnavailableException unavailable && !opened.isLost()) {
      return unavailable;
    }
    String reason =
        cause instanceof Connection.Lost || opened.isLost()
            ? opened.lostReason()
            : ForeignCause.describe(cause, redaction);
    return new McpServerUnavailableException(
        "cannot connect to " + describe() + ": " + reason + tail(opened),
        cause instanceof Connection.Lost ? null : ForeignCause.of(cause, redaction));
  }

  private static String tail(Connection connection) {
    String tail = connection.errorTail();
    return tail.isEmpty() ? "" : "; its last error output:\n" + tail;
  }

  /**
   * Calls a tool on a live connection and returns what the model reads.
   *
   * @throws McpToolErrorException when the tool reports an error
   * @throws McpProtocolException on a JSON-RPC error or a malformed result
   * @throws McpServerUnavailableException when the server goes during the call
   */
  Object call(Connection current, String tool, ToolArguments arguments, ToolContext context) {
    McpSchema.CallToolRequest request =
        McpSchema.CallToolRequest.builder(tool).arguments(MAPPER, arguments.toJson()).build();
    String what = "the call of tool '" + tool + "'";
    McpSchema.CallToolResult result;
    try {
      result =
          current.await(
              current.client().callTool(request),
              null,
              context.cancellation(),
              what + " on " + describe());
    } catch (ExecutionException e) {
      throw failure(current, what, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no timeout was set", e);
    }
    String text;
    try {
      text = ResultText.of(result, MAPPER);
    } catch (IOException e) {
      throw new McpProtocolException(
          describe() + " sent a result for " + what + " that cannot be written as text",
          ForeignCause.of(e, redaction));
    }
    String shown = text == null ? null : redaction.apply(text);
    if (Boolean.TRUE.equals(result.isError())) {
      throw new McpToolErrorException(shown == null ? "the tool reported an error" : shown);
    }
    checkStructuredContent(tool, what, result);
    return shown;
  }

  // A tool with an output schema must send structured content that fits it (the protocol's rule).
  private void checkStructuredContent(String tool, String what, McpSchema.CallToolResult result) {
    Map<String, Object> schema = outputSchemas.get(tool);
    if (schema == null) {
      return;
    }
    if (result.structuredContent() == null) {
      throw new McpProtocolException(
          describe()
              + " answered "
              + what
              + " without structured content, although the tool declares an output schema",
          null);
    }
    JsonSchemaValidator.ValidationResponse validation =
        VALIDATOR.validate(schema, result.structuredContent());
    if (!validation.valid()) {
      throw new McpProtocolException(
          describe()
              + " answered "
              + what
              + " with structured content that does not fit the tool's output schema: "
              + redaction.apply(validation.errorMessage()),
          null);
    }
  }

  private RuntimeException failure(Connection current, String what, Throwable cause) {
    if (cause instanceof McpError error && !current.isLost()) {
      McpSchema.JSONRPCResponse.JSONRPCError rpc = error.getJsonRpcError();
      return new McpProtocolException(
          describe()
              + " answered "
              + what
              + " with JSON-RPC error"
              + (rpc == null ? "" : " " + rpc.code() + ": " + redaction.apply(rpc.message())),
          ForeignCause.of(cause, redaction));
    }
    if (cause instanceof IllegalArgumentException && !current.isLost()) {
      // Jackson could not read the result as a CallToolResult.
      return new McpProtocolException(
          describe()
              + " sent a malformed result for "
              + what
              + ": "
              + ForeignCause.describe(cause, redaction),
          ForeignCause.of(cause, redaction));
    }
    if (!current.isLost()) {
      current.lose("could not be reached (" + ForeignCause.describe(cause, redaction) + ")");
    }
    return new McpServerUnavailableException(
        describe()
            + " "
            + current.lostReason()
            + " during "
            + what
            + "; the next call "
            + (endpoint instanceof Endpoint.Stdio ? "starts it again" : "connects again")
            + tail(current),
        cause instanceof Connection.Lost ? null : ForeignCause.of(cause, redaction));
  }

  private static String version() {
    String version = Connector.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
