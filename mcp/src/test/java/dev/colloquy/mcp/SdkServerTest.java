package dev.colloquy.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.tool.ToolContext;
import dev.colloquy.core.tool.ToolDefinition;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client against a server written directly with the MCP Java SDK, in this process (Streamable
 * HTTP in an embedded Tomcat): every kind of content a result may hold, structured content alone,
 * and the headers the client sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkServerTest {

  private static final String TOKEN = "sdk-server-token-0042";

  private McpSyncServer server;
  private EmbeddedTomcat tomcat;
  private McpToolClient client;

  @BeforeAll
  void start() throws Exception {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(Connector.MAPPER)
            .contextExtractor(
                request -> {
                  Map<String, Object> headers = new HashMap<>();
                  String authorization = request.getHeader("Authorization");
                  if (authorization != null) {
                    headers.put("authorization", authorization);
                  }
                  return McpTransportContext.create(headers);
                })
            .build();
    server =
        McpServer.sync(transport)
            .serverInfo("sdk-server", "1.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(
                tool(
                    "whoami",
                    (exchange, request) ->
                        text("you sent " + exchange.transportContext().get("authorization"))),
                tool(
                    "contents",
                    (exchange, request) ->
                        McpSchema.CallToolResult.builder()
                            .addTextContent("first")
                            .addContent(
                                McpSchema.EmbeddedResource.builder(
                                        McpSchema.TextResourceContents.builder(
                                                "memo://1", "the memo")
                                            .mimeType("text/plain")
                                            .build())
                                    .build())
                            .addContent(
                                McpSchema.EmbeddedResource.builder(
                                        McpSchema.BlobResourceContents.builder("blob://1", "AAAA")
                                            .mimeType("application/zip")
                                            .build())
                                    .build())
                            .addContent(
                                McpSchema.ResourceLink.builder()
                                    .uri("file:///a.txt")
                                    .name("a.txt")
                                    .build())
                            .addContent(
                                McpSchema.AudioContent.builder("AAAAAA==", "audio/wav").build())
                            .build()),
                new McpServerFeatures.SyncToolSpecification(
                    McpSchema.Tool.builder("weather", Map.of("type", "object"))
                        .outputSchema(
                            Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of("celsius", Map.of("type", "number")),
                                "required",
                                List.of("celsius")))
                        .build(),
                    (exchange, request) ->
                        McpSchema.CallToolResult.builder()
                            .structuredContent(Map.of("celsius", 21))
                            .build()))
            .build();
    tomcat = new EmbeddedTomcat(transport);
    client =
        McpToolClient.builder("sdk")
            .url(tomcat.url())
            .header("Authorization", "Bearer " + TOKEN)
            .build();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    server.close();
    tomcat.close();
  }

  private static McpServerFeatures.SyncToolSpecification tool(
      String name,
      java.util.function.BiFunction<
              io.modelcontextprotocol.server.McpSyncServerExchange,
              McpSchema.CallToolRequest,
              McpSchema.CallToolResult>
          handler) {
    return new McpServerFeatures.SyncToolSpecification(
        McpSchema.Tool.builder(name, Map.of("type", "object")).description(name).build(), handler);
  }

  private static McpSchema.CallToolResult text(String text) {
    return McpSchema.CallToolResult.builder().addTextContent(text).build();
  }

  private Object invoke(String name) {
    ToolDefinition tool =
        client.tools().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    return tool.invoke("{}", new ToolContext("c", "1", Cancellation.none()));
  }

  @Test
  void theHeadersReachTheServerAndTheirSecretValuesNeverComeBack() {
    assertThat(invoke("whoami")).isEqualTo("you sent ***");
  }

  @Test
  void everyKindOfContentIsReadAsTextOrAPlaceholderInOrder() {
    assertThat(invoke("contents"))
        .isEqualTo(
            String.join(
                "\n",
                "first",
                "[resource: memo://1]",
                "the memo",
                "[resource: blob://1, application/zip, 3 bytes]",
                "[resource link: file:///a.txt (a.txt)]",
                "[audio: audio/wav, 4 bytes]"));
  }

  @Test
  void structuredContentAloneIsReadAsJson() {
    assertThat(invoke("weather")).isEqualTo("{\"celsius\":21}");
  }
}
