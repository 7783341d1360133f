package dev.colloquy.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.tool.ToolContext;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.core.tool.Toolbox;
import dev.colloquy.test.ScriptedChatModel;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against the protocol's reference server,
 * {@code @modelcontextprotocol/server-everything} {@value ReferenceServers#EVERYTHING_VERSION} from
 * npm, over stdio and over Streamable HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EverythingServerTest {

  private static final String TOKEN = "tok-everything-7731";

  enum Transport {
    STDIO,
    HTTP
  }

  private Process httpServer;
  private final Map<Transport, McpToolClient> clients = new EnumMap<>(Transport.class);

  @BeforeAll
  void start() throws Exception {
    int port = ReferenceServers.freePort();
    httpServer = ReferenceServers.everythingOverHttp(port);
    clients.put(
        Transport.STDIO,
        McpToolClient.builder("everything")
            .command(ReferenceServers.everything("stdio"))
            .environment("COLLOQUY_TEST_TOKEN", TOKEN)
            .build());
    clients.put(
        Transport.HTTP,
        McpToolClient.builder("everything")
            .url("http://127.0.0.1:" + port + "/mcp")
            .header("Authorization", "Bearer " + TOKEN)
            .build());
  }

  @AfterAll
  void stop() throws Exception {
    clients.values().forEach(McpToolClient::close);
    ReferenceServers.stop(httpServer);
  }

  private ToolDefinition tool(Transport transport, String name) {
    return clients.get(transport).tools().stream()
        .filter(tool -> tool.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private Object invoke(Transport transport, String name, String arguments) {
    return tool(transport, name)
        .invoke(arguments, new ToolContext("c", "call-1", Cancellation.create()));
  }

  private Toolbox toolbox(Transport transport, Duration timeout) {
    Toolbox.Builder toolbox = Toolbox.builder().toolTimeout(timeout);
    clients.get(transport).tools().forEach(toolbox::add);
    return toolbox.build();
  }

  private static ToolResultMessage run(Toolbox toolbox, String name, String arguments) {
    return toolbox
        .session("c", Cancellation.create(), Long.MAX_VALUE, System::nanoTime)
        .run(List.of(new ToolCall("call-1", name, arguments)), execution -> {})
        .get(0);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void listsTheToolsWithTheirJsonSchemas(Transport transport) {
    McpToolClient client = clients.get(transport);

    assertThat(client.tools())
        .extracting(ToolDefinition::name)
        .contains("echo", "get-sum", "get-structured-content", "trigger-long-running-operation");
    assertThat(client.refused()).isEmpty();
    assertThat(tool(transport, "echo").specification().description())
        .isEqualTo("Echoes back the input string");
    assertThat(tool(transport, "get-sum").specification().parameters().required())
        .containsExactly("a", "b");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void callsToolsAndReadsTheirText(Transport transport) {
    assertThat(invoke(transport, "echo", "{\"message\":\"hello\"}")).isEqualTo("Echo: hello");
    assertThat(invoke(transport, "get-sum", "{\"a\":2,\"b\":3}")).asString().contains("5");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void structuredContentIsCheckedAgainstTheOutputSchemaAndReadAsText(Transport transport) {
    assertThat(invoke(transport, "get-structured-content", "{\"location\":\"Chicago\"}"))
        .asString()
        .contains("Light rain");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anImageBecomesAPlaceholderForTheModel(Transport transport) {
    assertThat(invoke(transport, "get-tiny-image", "{}"))
        .asString()
        .containsPattern("\\[image: image/png, [0-9]+ bytes\\]");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void argumentsThatBreakTheSchemaAreRefusedBeforeTheServerSeesThem(Transport transport) {
    ToolResultMessage result =
        run(toolbox(transport, Duration.ofSeconds(20)), "get-sum", "{\"a\":\"two\",\"b\":3}");

    assertThat(result.error()).isTrue();
    assertThat(result.text()).startsWith("invalid arguments for tool 'get-sum'");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aSlowToolTimesOutUnderTheToolboxTimeoutAndTheServerStaysUsable(Transport transport) {
    Toolbox toolbox = toolbox(transport, Duration.ofMillis(700));

    ToolResultMessage slow =
        run(toolbox, "trigger-long-running-operation", "{\"duration\":10,\"steps\":2}");
    ToolResultMessage echo = run(toolbox, "echo", "{\"message\":\"still here\"}");

    assertThat(slow.error()).isTrue();
    assertThat(slow.text())
        .contains("tool 'trigger-long-running-operation' did not finish within 700 ms");
    assertThat(echo.text()).isEqualTo("Echo: still here");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anAgentCallsAnMcpToolInItsTurn(Transport transport) {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyToolCall("get-sum", "{\"a\":20,\"b\":22}")
            .reply(request -> "the sum is in: " + lastToolResult(request))
            .build();
    Agent agent =
        Agent.builder().model(model).toolbox(toolbox(transport, Duration.ofSeconds(20))).build();

    String reply = agent.chat("customer-1", "What is 20 + 22?");

    assertThat(reply).startsWith("the sum is in: ").contains("42");
  }

  private static String lastToolResult(dev.colloquy.core.model.ChatRequest request) {
    return request.messages().stream()
        .filter(message -> message instanceof ToolResultMessage)
        .map(message -> ((ToolResultMessage) message).text())
        .reduce((first, second) -> second)
        .orElse("(none)");
  }

  @Test
  void theServersEnvironmentReachesItButItsSecretValuesNeverComeBack() {
    assertThat(invoke(Transport.STDIO, "get-env", "{}"))
        .asString()
        .contains("\"COLLOQUY_TEST_TOKEN\": \"***\"")
        .doesNotContain(TOKEN);
    assertThat(clients.get(Transport.STDIO).toString()).doesNotContain(TOKEN);
    assertThat(clients.get(Transport.HTTP).toString())
        .isEqualTo(
            "McpToolClient[everything, Http[uri=" + httpUri() + ", headers=[Authorization]]]");
  }

  private String httpUri() {
    return clients.get(Transport.HTTP).toString().replaceAll(".*uri=([^,]*),.*", "$1");
  }

  @Test
  void aServerKilledMidCallFailsTheCallQuicklyAndTheClientReconnectsWhenItIsBack()
      throws Exception {
    int port = ReferenceServers.freePort();
    Process server = ReferenceServers.everythingOverHttp(port);
    try (McpToolClient client =
        McpToolClient.builder("dying").url("http://127.0.0.1:" + port + "/mcp").build()) {
      ToolDefinition slow =
          client.tools().stream()
              .filter(tool -> tool.name().equals("trigger-long-running-operation"))
              .findFirst()
              .orElseThrow();
      CompletableFuture<Object> call =
          CompletableFuture.supplyAsync(
              () ->
                  slow.invoke(
                      "{\"duration\":30,\"steps\":30}",
                      new ToolContext("c", "call-1", Cancellation.create())));
      TimeUnit.MILLISECONDS.sleep(1500);
      long killed = System.nanoTime();
      ReferenceServers.stop(server);

      assertThatThrownBy(() -> call.get(15, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(McpServerUnavailableException.class)
          .hasMessageContaining(
              "MCP server 'dying' (http://127.0.0.1:" + port + "/mcp) stopped answering")
          .hasMessageContaining("during the call of tool 'trigger-long-running-operation'")
          .hasMessageContaining("the next call connects again");
      assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(10));

      server = ReferenceServers.everythingOverHttp(port);
      ToolDefinition echo =
          client.tools().stream()
              .filter(tool -> tool.name().equals("echo"))
              .findFirst()
              .orElseThrow();
      assertThat(
              echo.invoke(
                  "{\"message\":\"back\"}", new ToolContext("c", "call-2", Cancellation.create())))
          .isEqualTo("Echo: back");
    } finally {
      ReferenceServers.stop(server);
    }
  }
}
