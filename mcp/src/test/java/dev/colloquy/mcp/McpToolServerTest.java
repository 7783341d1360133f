package dev.colloquy.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.tool.ToolContext;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.core.tool.Toolbox;
import dev.colloquy.test.ScriptedChatModel;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Colloquy toolbox served with {@link McpToolServer}, called by the SDK's own client and by ours,
 * over Streamable HTTP (an embedded Tomcat) and over stdio (a process).
 */
class McpToolServerTest {

  private final ScriptedChatModel model =
      ScriptedChatModel.builder().reply(request -> "the agent says hi").build();
  private final McpToolServer server =
      McpToolServer.builder(
              Toolbox.builder()
                  .add(new ServedToolboxMain.ShopTools())
                  .allow("orderStatus", "refund")
                  .build())
          .name("shop-tools")
          .agent("ask_support", "Answers questions", Agent.builder().model(model).build())
          .build();

  @AfterEach
  void close() {
    server.close();
  }

  private static McpSyncClient sdkClient(McpClientTransport transport) {
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
    client.initialize();
    return client;
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  private static McpSchema.CallToolResult call(
      McpSyncClient client, String tool, Map<String, Object> arguments) {
    return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
  }

  @Test
  void theSdksClientListsTheAllowedToolsAndCallsThemOverHttp() throws Exception {
    try (EmbeddedTomcat tomcat = new EmbeddedTomcat(server.httpServlet());
        McpSyncClient client =
            sdkClient(
                HttpClientStreamableHttpTransport.builder(tomcat.url().replace("/mcp", ""))
                    .build())) {
      assertThat(client.getServerInfo().name()).isEqualTo("shop-tools");
      assertThat(client.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactly("orderStatus", "refund", "ask_support");
      assertThat(client.listTools().tools().get(0).inputSchema())
          .containsEntry("required", List.of("orderId"));

      McpSchema.CallToolResult status = call(client, "orderStatus", Map.of("orderId", 1001));
      assertThat(status.isError()).isFalse();
      assertThat(text(status)).isEqualTo("order 1001 shipped on Monday");
    }
  }

  @Test
  void theToolboxsRulesHoldForOutsideCallers() throws Exception {
    try (EmbeddedTomcat tomcat = new EmbeddedTomcat(server.httpServlet());
        McpSyncClient client =
            sdkClient(
                HttpClientStreamableHttpTransport.builder(tomcat.url().replace("/mcp", ""))
                    .build())) {
      McpSchema.CallToolResult invalid = call(client, "orderStatus", Map.of("orderId", "abc"));
      McpSchema.CallToolResult denied = call(client, "refund", Map.of("orderId", 7));

      assertThat(invalid.isError()).isTrue();
      assertThat(text(invalid)).startsWith("invalid arguments for tool 'orderStatus'");
      assertThat(denied.isError()).isTrue();
      assertThat(text(denied)).startsWith("the user denied this call of tool 'refund'");
      assertThatThrownBy(() -> call(client, "internal", Map.of()))
          .isInstanceOf(McpError.class)
          .hasMessageContaining("Unknown tool");
    }
  }

  @Test
  void anAgentIsATool() throws Exception {
    try (EmbeddedTomcat tomcat = new EmbeddedTomcat(server.httpServlet());
        McpSyncClient client =
            sdkClient(
                HttpClientStreamableHttpTransport.builder(tomcat.url().replace("/mcp", ""))
                    .build())) {
      McpSchema.CallToolResult reply = call(client, "ask_support", Map.of("message", "hello"));
      McpSchema.CallToolResult empty = call(client, "ask_support", Map.of());

      assertThat(text(reply)).isEqualTo("the agent says hi");
      assertThat(empty.isError()).isTrue();
      assertThat(text(empty)).contains("'message' must be a non-empty string");
    }
  }

  @Test
  void ourOwnClientUsesTheServedToolboxOverHttp() throws Exception {
    try (EmbeddedTomcat tomcat = new EmbeddedTomcat(server.httpServlet());
        McpToolClient client = McpToolClient.builder("shop").url(tomcat.url()).build()) {
      ToolDefinition status = client.tools().get(0);

      assertThat(client.tools())
          .extracting(ToolDefinition::name)
          .containsExactly("orderStatus", "refund", "ask_support");
      assertThat(status.specification().parameters().required()).containsExactly("orderId");
      assertThat(status.invoke("{\"orderId\":5}", new ToolContext("c", "1", Cancellation.none())))
          .isEqualTo("order 5 shipped on Monday");
      assertThatThrownBy(
              () ->
                  client
                      .tools()
                      .get(1)
                      .invoke("{\"orderId\":5}", new ToolContext("c", "2", Cancellation.none())))
          .isInstanceOf(McpToolErrorException.class)
          .hasMessageStartingWith("the user denied this call of tool 'refund'");
    }
  }

  @Test
  void theSdksClientAndOursUseTheToolboxServedOverStdio() {
    List<String> command = ServedToolboxMain.command();
    StdioClientTransport stdio =
        new StdioClientTransport(
            ServerParameters.builder(command.get(0))
                .args(command.subList(1, command.size()))
                .build(),
            Connector.MAPPER);
    try (McpSyncClient sdk = sdkClient(stdio);
        McpToolClient ours = McpToolClient.builder("shop").command(command).build()) {
      assertThat(sdk.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactly("orderStatus", "refund");
      assertThat(text(call(sdk, "orderStatus", Map.of("orderId", 42))))
          .isEqualTo("order 42 shipped on Monday");
      assertThat(
              ours.tools()
                  .get(0)
                  .invoke("{\"orderId\":43}", new ToolContext("c", "1", Cancellation.none())))
          .isEqualTo("order 43 shipped on Monday");
    }
  }

  @Test
  void aServedToolboxShowsItsToolsAndAClosedServerServesNoMore() {
    assertThat(server)
        .hasToString("McpToolServer[shop-tools 1.0.0, tools=[orderStatus, refund, ask_support]]");
    server.close();

    assertThatThrownBy(server::httpServlet)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("MCP server 'shop-tools' is closed");
  }
}
