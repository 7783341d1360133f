package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.core.tool.Toolbox;
import dev.colloquy.mcp.McpToolClient;
import dev.colloquy.mcp.McpToolClients;
import dev.colloquy.test.ScriptedChatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code colloquy.mcp.*}: MCP servers whose tools join the agents', and their clients' life. */
class McpAutoConfigurationTest {

  private static final String TOKEN = "spring-mcp-token-9921";

  private final ApplicationContextRunner runner = Runners.colloquy();

  private static ScriptedChatModel callsOrderStatus() {
    return ScriptedChatModel.builder()
        .replyToolCall("orderStatus", "{\"orderId\":7}")
        .reply(request -> "status: " + request.messages().get(request.messages().size() - 1).text())
        .build();
  }

  @Test
  void aServerOfThePropertiesGivesThePropertyBuiltAgentTheToolsOfItsAllowList() {
    runner
        .withBean(ChatModel.class, McpAutoConfigurationTest::callsOrderStatus)
        .withPropertyValues(McpTestServer.properties("shop"))
        .withPropertyValues("colloquy.mcp.servers.shop.tools=orderStatus")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(McpToolClients.class);
              assertThat(context.getBean(Toolbox.class).specifications())
                  .extracting(ToolSpecification::name)
                  .containsExactly("orderStatus");
              assertThat(context.getBean(Agent.class).chat("c", "where is 7?"))
                  .isEqualTo("status: order 7 shipped");
            });
  }

  @Test
  void theClientsAreClosedWithTheContext() {
    McpToolClient[] client = new McpToolClient[1];
    runner
        .withPropertyValues(McpTestServer.properties("shop"))
        .run(
            context -> {
              client[0] = context.getBean(McpToolClients.class).clients().get(0);
              assertThat(client[0].tools()).hasSize(2);
            });

    assertThatThrownBy(() -> client[0].tools())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("MCP client 'shop' is closed");
  }

  @Test
  void agentFilesMayDeclareServersThatTheSameBeanConnects(@TempDir Path agents) throws Exception {
    String command =
        McpTestServer.command().stream().map(w -> "\"" + w + "\"").collect(Collectors.joining(" "));
    Files.writeString(
        agents.resolve("support.colloquy"),
        """
        mcp shop {
          command %s
          tools "orderStatus"
        }

        agent support {
          model "default"
          tools shop
        }
        """
            .formatted(command));
    runner
        .withBean(ChatModel.class, McpAutoConfigurationTest::callsOrderStatus)
        .withPropertyValues("colloquy.agents.location=file:" + agents + "/")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean("support", Agent.class).chat("c", "where is 7?"))
                  .isEqualTo("status: order 7 shipped");
              assertThat(context.getBean(McpToolClients.class).clients())
                  .extracting(McpToolClient::name)
                  .containsExactly("shop");
            });
  }

  @Test
  void aServerThatCannotStartFailsStartupWithoutItsSecret() {
    runner
        .withPropertyValues(
            "colloquy.mcp.servers.broken.command=/no/such/mcp-server",
            "colloquy.mcp.servers.broken.env.API_TOKEN=" + TOKEN)
        .run(
            context -> {
              assertThat(context).hasFailed();
              String messages = Runners.messages(context.getStartupFailure());
              assertThat(messages)
                  .contains("cannot connect to MCP server 'broken' (stdio `/no/such/mcp-server`)")
                  .doesNotContain(TOKEN);
            });
  }

  @Test
  void aServerWithBothACommandAndAUrlFailsStartupNamingTheProperties() {
    runner
        .withPropertyValues(
            "colloquy.mcp.servers.both.command=server",
            "colloquy.mcp.servers.both.url=http://localhost:3001/mcp")
        .run(
            context ->
                assertThat(Runners.messages(context.getStartupFailure()))
                    .contains(
                        "colloquy.mcp.servers.both needs either colloquy.mcp.servers.both.command"
                            + " or colloquy.mcp.servers.both.url, not both"));
  }

  @Test
  void theServersPropertiesShowNoSecretValue() {
    McpProperties.Server server = new McpProperties.Server();
    server.setUrl("https://user:" + TOKEN + "@mcp.example.com/mcp?key=" + TOKEN);
    server.getHeaders().put("Authorization", "Bearer " + TOKEN);

    assertThat(server.toString())
        .isEqualTo(
            "Server[url=https://mcp.example.com/mcp, env=[], headers=[Authorization], tools=[]]");
  }

  @Test
  void withoutColloquyMcpThereIsNoMcpBeanAndTheToolboxStillWorks() {
    runner
        .withClassLoader(new FilteredClassLoader(McpToolClients.class))
        .withPropertyValues(McpTestServer.properties("shop"))
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(McpToolClients.class);
              assertThat(context.getBean(Toolbox.class).isEmpty()).isTrue();
            });
  }
}
