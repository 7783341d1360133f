package dev.colloquy.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.tool.ToolContext;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.core.tool.Toolbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a client does when its server misbehaves: {@link FaultyServer}, a JSON-RPC server over stdio
 * that crashes, stalls, breaks the protocol and lists tools Colloquy cannot use.
 */
class McpClientFailuresTest {

  private static final String TOKEN = "tok-5ecret-value-42";

  private McpToolClient client = faulty().build();

  private static McpToolClient.Builder faulty() {
    return McpToolClient.builder("faulty")
        .command(FaultyServer.command())
        .environment("TOKEN", TOKEN);
  }

  @AfterEach
  void close() {
    client.close();
  }

  private ToolDefinition tool(String name) {
    return client.tools().stream()
        .filter(tool -> tool.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no tool " + name + " in " + client.tools()));
  }

  private Object invoke(String name, String arguments) {
    return tool(name).invoke(arguments, new ToolContext("c", "call-1", Cancellation.create()));
  }

  private ToolResultMessage run(Toolbox toolbox, String name, String arguments) {
    return toolbox
        .session("c", Cancellation.create(), Long.MAX_VALUE, System::nanoTime)
        .run(List.of(new ToolCall("call-1", name, arguments)), execution -> {})
        .get(0);
  }

  private Toolbox toolbox(Duration timeout) {
    Toolbox.Builder toolbox = Toolbox.builder().toolTimeout(timeout);
    client.tools().forEach(toolbox::add);
    return toolbox.build();
  }

  @Test
  void aToolAnswersThroughTheToolbox() {
    ToolResultMessage result = run(toolbox(Duration.ofSeconds(20)), "echo", "{\"text\":\"hello\"}");

    assertThat(result.error()).isFalse();
    assertThat(result.text()).isEqualTo("hello");
  }

  @Test
  void aServerThatDiesMidCallFailsTheCallAtOnceWithItsExitStatusAndTheNextCallStartsItAgain() {
    long start = System.nanoTime();

    assertThatThrownBy(() -> invoke("crash", "{}"))
        .isInstanceOf(McpServerUnavailableException.class)
        .hasMessageContaining("MCP server 'faulty' (stdio `")
        .hasMessageContaining("exited with status 3 during the call of tool 'crash'")
        .hasMessageContaining("the next call starts it again")
        .hasMessageContaining("fatal: cannot go on with token=***")
        .hasMessageNotContaining(TOKEN);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

    assertThat(invoke("echo", "{\"text\":\"again\"}")).isEqualTo("again");
  }

  @Test
  void aSlowToolTimesOutUnderTheToolboxTimeoutAndTheServerStaysUsable() {
    Toolbox toolbox = toolbox(Duration.ofMillis(500));

    ToolResultMessage slow = run(toolbox, "slow", "{\"millis\":20000}");
    ToolResultMessage echo = run(toolbox, "echo", "{\"text\":\"still here\"}");

    assertThat(slow.error()).isTrue();
    assertThat(slow.text()).contains("tool 'slow' did not finish within 500 ms");
    assertThat(echo.error()).isFalse();
    assertThat(echo.text()).isEqualTo("still here");
  }

  @Test
  void cancellingTheCallEndsTheWaitAtOnce() throws Exception {
    Cancellation cancellation = Cancellation.create();
    CompletableFuture<Object> call =
        CompletableFuture.supplyAsync(
            () ->
                tool("slow")
                    .invoke("{\"millis\":20000}", new ToolContext("c", "call-1", cancellation)));
    TimeUnit.MILLISECONDS.sleep(300);

    cancellation.cancel();

    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CancelledException.class)
        .hasMessageContaining("the call of tool 'slow' on MCP server 'faulty'");
  }

  @Test
  void aMalformedResultIsAProtocolErrorNamingTheTool() {
    assertThatThrownBy(() -> invoke("malformed", "{}"))
        .isInstanceOf(McpProtocolException.class)
        .hasMessageContaining("sent a malformed result for the call of tool 'malformed'");

    assertThat(invoke("echo", "{\"text\":\"fine\"}")).isEqualTo("fine");
  }

  @Test
  void aToolThatReportsAnErrorGivesTheModelAnErrorResultWithItsText() {
    ToolResultMessage result = run(toolbox(Duration.ofSeconds(20)), "fails", "{}");

    assertThat(result.error()).isTrue();
    assertThat(result.text()).isEqualTo("tool 'fails' failed: McpToolErrorException: disk full");
  }

  @Test
  void aJsonRpcErrorIsAProtocolErrorWithTheServersCodeAndTextRedacted() {
    assertThatThrownBy(() -> invoke("rejects", "{}"))
        .isInstanceOf(McpProtocolException.class)
        .hasMessageContaining("answered the call of tool 'rejects' with JSON-RPC error -32602")
        .hasMessageContaining("bad token ***")
        .hasMessageNotContaining(TOKEN)
        .hasStackTraceContaining("bad token ***");
  }

  @Test
  void structuredContentThatBreaksTheOutputSchemaIsAProtocolError() {
    assertThatThrownBy(() -> invoke("structured", "{}"))
        .isInstanceOf(McpProtocolException.class)
        .hasMessageContaining(
            "answered the call of tool 'structured' with structured content that does not fit"
                + " the tool's output schema");
  }

  @Test
  void aLineThatIsNotJsonRpcLosesTheServerAndTheNextCallStartsItAgain() {
    assertThatThrownBy(() -> invoke("garbage", "{}"))
        .isInstanceOf(McpServerUnavailableException.class)
        .hasMessageContaining(
            "wrote a line to its standard output that is not a JSON-RPC message: this is not"
                + " JSON-RPC");

    assertThat(invoke("echo", "{\"text\":\"back\"}")).isEqualTo("back");
  }

  @Test
  void toolsWithAnInvalidSchemaOrNameAreRefusedNamingThemAndTheOthersStayUsable() {
    assertThat(client.refused())
        .extracting(McpRefusedTool::name)
        .containsExactly("bad_schema", "bad name!");
    assertThat(client.refused().get(0).reason())
        .startsWith("its input schema is not a valid JSON Schema");
    assertThat(client.refused().get(1).reason()).startsWith("invalid tool name 'bad name!'");
    assertThat(client.tools())
        .extracting(ToolDefinition::name)
        .containsExactly(
            "echo",
            "crash",
            "slow",
            "malformed",
            "fails",
            "structured",
            "garbage",
            "env",
            "rejects");
    assertThat(invoke("echo", "{\"text\":\"usable\"}")).isEqualTo("usable");
  }

  @Test
  void anAllowListNamingARefusedToolFailsNamingItAndWhy() {
    client = faulty().allow("echo", "bad_schema").build();

    assertThatThrownBy(client::tools)
        .isInstanceOf(McpProtocolException.class)
        .hasMessageContaining("offers tool 'bad_schema', which its allow-list names")
        .hasMessageContaining("its input schema is not a valid JSON Schema");
  }

  @Test
  void anAllowListNamingToolsTheServerLacksFailsListingWhatItOffers() {
    client = faulty().allow("echo", "read_file").build();

    assertThatThrownBy(client::tools)
        .isInstanceOf(McpProtocolException.class)
        .hasMessageContaining("does not offer the tools its allow-list names: [read_file]")
        .hasMessageContaining("it offers: [bad name!, bad_schema, crash, echo,");
  }

  @Test
  void anAllowListKeepsOnlyItsToolsAndAPrefixRenamesThem() {
    client = faulty().allow("echo", "fails").toolNamePrefix("faulty_").build();

    assertThat(client.tools())
        .extracting(ToolDefinition::name)
        .containsExactly("faulty_echo", "faulty_fails");
    assertThat(client.refused()).isEmpty();
    assertThat(invoke("faulty_echo", "{\"text\":\"renamed\"}")).isEqualTo("renamed");
  }

  @Test
  void secretValuesNeverShowInResultsOrInToString() {
    assertThat(invoke("env", "{}")).isEqualTo("TOKEN=***");
    assertThat(client.toString())
        .isEqualTo(
            "McpToolClient[faulty, Stdio[command="
                + FaultyServer.command().get(0)
                + " (+5 arguments), environment=[TOKEN]]]")
        .doesNotContain(TOKEN);
  }

  @Test
  void aProgramThatCannotStartFailsWithAClearMessage() {
    client = McpToolClient.builder("missing").command("/nonexistent/mcp-server").build();

    assertThatThrownBy(client::tools)
        .isInstanceOf(McpServerUnavailableException.class)
        .hasMessageStartingWith(
            "cannot connect to MCP server 'missing' (stdio `/nonexistent/mcp-server`): cannot"
                + " start stdio `/nonexistent/mcp-server`");
  }

  @Test
  void aClosedClientRefusesCalls() {
    ToolDefinition echo = tool("echo");
    client.close();

    assertThatThrownBy(
            () -> echo.invoke("{\"text\":\"x\"}", new ToolContext("c", "1", Cancellation.none())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("MCP client 'faulty' is closed");
  }
}
