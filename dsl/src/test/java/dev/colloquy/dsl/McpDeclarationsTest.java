package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ToolSpecification;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code mcp} declarations: an agent that names a server gets the tools the application's {@link
 * McpConnector} gives for it; the DSL itself knows no MCP library.
 */
class McpDeclarationsTest {

  private static final String TOKEN = "gh-token-77aa41";

  private static final String FILE =
      """
      secret github_token = env "GITHUB_TOKEN"

      mcp github {
        command "npx" "-y" "@modelcontextprotocol/server-github"
        env GITHUB_PERSONAL_ACCESS_TOKEN = github_token
        tools "search_issues", "get_issue"
      }

      mcp unused {
        url "http://localhost:3001/mcp"
      }

      agent triage {
        model "shop-model"
        tools github, orderStatus
      }
      """;

  private final List<McpServerDefinition> connected = new CopyOnWriteArrayList<>();

  private Bindings bindings(Optional<McpConnector> connector) {
    Bindings.Builder bindings =
        Bindings.builder()
            .model("shop-model", new Fixtures.RecordingModel("ok"))
            .tool(Fixtures.ORDER_STATUS)
            .environment(
                name -> name.equals("GITHUB_TOKEN") ? Optional.of(TOKEN) : Optional.empty());
    connector.ifPresent(
        c ->
            bindings.mcp(
                server -> {
                  connected.add(server);
                  return c.tools(server);
                }));
    return bindings.build();
  }

  private static Definitions compile(String text, Bindings bindings) {
    return Definitions.compile(List.of(new Source("mcp.colloquy", text)), bindings);
  }

  @Test
  void anAgentNamingAServerGetsItsToolsAndTheConnectorGetsTheDeclarationWithItsSecret() {
    Definitions definitions = compile(FILE, bindings(Optional.of(Fixtures.MCP)));

    assertThat(connected).hasSize(1);
    McpServerDefinition github = connected.get(0);
    assertThat(github.name()).isEqualTo("github");
    assertThat(github.command())
        .containsExactly("npx", "-y", "@modelcontextprotocol/server-github");
    assertThat(github.url()).isEmpty();
    assertThat(github.environment().get("GITHUB_PERSONAL_ACCESS_TOKEN").reveal()).isEqualTo(TOKEN);
    assertThat(github.tools()).containsExactly("search_issues", "get_issue");
    assertThat(github.toString()).doesNotContain(TOKEN).contains("value=***");

    ChatRequest request = render(definitions);
    assertThat(request.tools())
        .extracting(ToolSpecification::name)
        .containsExactly("get_issue", "orderStatus", "search_issues");
  }

  private static ChatRequest render(Definitions definitions) {
    return definitions.agent("triage").render("c", "hi");
  }

  @Test
  void aServerThatNoAgentNamesIsNeverConnected() {
    compile(FILE, bindings(Optional.of(Fixtures.MCP)));

    assertThat(connected).extracting(McpServerDefinition::name).containsExactly("github");
  }

  @Test
  void withoutAConnectorAFileThatUsesAServerFailsToLoadSayingWhatToBind() {
    DslException e =
        catchThrowableOfType(DslException.class, () -> compile(FILE, bindings(Optional.empty())));

    assertThat(e.diagnostics()).hasSize(1);
    assertThat(e.diagnostics().get(0).format())
        .isEqualTo(
            """
            mcp.colloquy:3:5: error: mcp server `github` is used by agent `triage`, but the \
            application binds no MCP connector
               3 | mcp github {
                 |     ^^^^^^
                 = bind one with Bindings.builder().mcp(connector), such as colloquy-mcp's \
            McpToolClients""");
  }

  @Test
  void aServerThatCannotBeUsedIsALoadErrorAtItsDeclarationWithoutTheSecret() {
    McpConnector failing =
        server -> {
          throw new IllegalStateException(
              "cannot start npx\nits error output:\nbad credentials " + TOKEN);
        };

    DslException e =
        catchThrowableOfType(
            DslException.class, () -> compile(FILE, bindings(Optional.of(failing))));

    assertThat(e.getMessage())
        .contains(
            "mcp.colloquy:3:5: error: mcp server `github` cannot be used: cannot start npx | its"
                + " error output: | bad credentials ***")
        .contains("= agent `triage` names it in its tools")
        .doesNotContain(TOKEN);
  }

  @Test
  void twoToolsOfOneAgentWithTheSameNameAreALoadErrorAtTheServerThatBroughtTheSecond() {
    String text =
        """
        mcp a {
          command "server-a"
        }

        mcp b {
          url "http://localhost:3001/mcp"
        }

        agent both {
          model "shop-model"
          tools a, b
        }
        """;

    DslException e =
        catchThrowableOfType(
            DslException.class, () -> compile(text, bindings(Optional.of(Fixtures.MCP))));

    assertThat(e.diagnostics())
        .extracting(Diagnostic::message)
        .containsExactly(
            "tool `read_file` of mcp server `b` clashes with another tool of agent `both` with"
                + " that name",
            "tool `list_directory` of mcp server `b` clashes with another tool of agent `both`"
                + " with that name");
  }

  @Test
  void theToolsRunThroughTheAgentsToolbox() {
    Definitions definitions = compile(FILE, bindings(Optional.of(Fixtures.MCP)));

    assertThat(
            definitions
                .agent("triage")
                .toolbox()
                .session("c", Cancellation.none(), Long.MAX_VALUE, System::nanoTime)
                .run(List.of(new ToolCall("1", "search_issues", "{}")), execution -> {})
                .get(0)
                .text())
        .isEqualTo("github:search_issues");
  }
}
