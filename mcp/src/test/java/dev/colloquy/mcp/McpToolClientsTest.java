package dev.colloquy.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.dsl.Bindings;
import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.DslException;
import dev.colloquy.dsl.Source;
import dev.colloquy.test.ScriptedChatModel;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Agent definition files that declare MCP servers, connected through {@link McpToolClients}: the
 * reference server over stdio, and the faulty one for the errors.
 */
class McpToolClientsTest {

  private static final String TOKEN = "dsl-secret-token-5531";

  private final McpToolClients clients = McpToolClients.create();

  @AfterEach
  void close() {
    clients.close();
  }

  private static String words(List<String> command) {
    return command.stream().map(word -> "\"" + word + "\"").collect(Collectors.joining(" "));
  }

  private static String file(List<String> command, String tools) {
    return """
        secret token = env "SERVER_TOKEN"

        mcp everything {
          command %s
          env SERVER_TOKEN = token
          tools %s
        }

        agent calculator {
          model "model"
          tools everything
        }
        """
        .formatted(words(command), tools);
  }

  private Definitions load(String text, ScriptedChatModel model) {
    Bindings bindings =
        Bindings.builder()
            .model("model", model)
            .environment(
                name -> name.equals("SERVER_TOKEN") ? Optional.of(TOKEN) : Optional.empty())
            .mcp(clients)
            .build();
    return Definitions.compile(List.of(new Source("agents.colloquy", text)), bindings);
  }

  @Test
  void anAgentFileUsesTheToolsOfTheServerItDeclaresAndAReloadReusesTheClient() {
    String text = file(ReferenceServers.everything("stdio"), "\"get-sum\", \"echo\"");
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyToolCall("get-sum", "{\"a\":1,\"b\":2}")
            .reply(request -> "done")
            .build();

    Definitions definitions = load(text, model);
    String reply = definitions.agent("calculator").chat("c", "1 + 2?");
    load(text, model);

    assertThat(reply).isEqualTo("done");
    assertThat(model.requests().get(0).tools())
        .extracting(ToolSpecification::name)
        .containsExactly("echo", "get-sum");
    assertThat(
            model
                .requests()
                .get(1)
                .messages()
                .get(model.requests().get(1).messages().size() - 1)
                .text())
        .contains("3");
    assertThat(clients.clients()).hasSize(1);
  }

  @Test
  void aServerThatFailsTheAllowListIsALoadErrorAtItsDeclaration() {
    String text = file(ReferenceServers.everything("stdio"), "\"echo\", \"no-such-tool\"");

    assertThatThrownBy(() -> load(text, ScriptedChatModel.alwaysReplying("x")))
        .isInstanceOf(DslException.class)
        .hasMessageContaining("agents.colloquy:3:5: error: mcp server `everything` cannot be used:")
        .hasMessageContaining("does not offer the tools its allow-list names: [no-such-tool]");
    assertThat(clients.clients()).isEmpty();
  }

  @Test
  void aServerThatDiesAtStartIsALoadErrorWithoutTheSecret() {
    String text = file(FaultyServer.command(), "\"echo\"").replace("-cp", "-no-such-option");

    assertThatThrownBy(() -> load(text, ScriptedChatModel.alwaysReplying("x")))
        .isInstanceOf(DslException.class)
        .hasMessageContaining("mcp server `everything` cannot be used: cannot connect to")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void closedClientsConnectNothingMore() {
    clients.close();

    assertThatThrownBy(
            () ->
                load(
                    file(FaultyServer.command(), "\"echo\""),
                    ScriptedChatModel.alwaysReplying("x")))
        .isInstanceOf(DslException.class)
        .hasMessageContaining("these MCP clients are closed");
  }
}
