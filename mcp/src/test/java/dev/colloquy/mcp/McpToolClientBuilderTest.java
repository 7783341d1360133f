package dev.colloquy.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client's builder: each setting checked when set, once, secrets never shown. */
class McpToolClientBuilderTest {

  private static final String SECRET = "s3cr3t-value-1234";

  @Test
  void buildingStartsNothingAndShowsNoSecret() {
    McpToolClient client =
        McpToolClient.builder("files")
            .command("/no/such/program", "--flag")
            .environment("TOKEN", SECRET)
            .build();

    assertThat(client)
        .hasToString(
            "McpToolClient[files, Stdio[command=/no/such/program (+1 arguments),"
                + " environment=[TOKEN]]]");
    client.close();
  }

  @Test
  void aUrlShowsNeitherUserInfoNorQueryNorHeaderValues() {
    McpToolClient client =
        McpToolClient.builder("remote")
            .url("https://user:" + SECRET + "@mcp.example.com:8443/mcp?key=" + SECRET)
            .header("Authorization", "Bearer " + SECRET)
            .build();

    assertThat(client.toString())
        .isEqualTo(
            "McpToolClient[remote, Http[uri=https://mcp.example.com:8443/mcp,"
                + " headers=[Authorization]]]")
        .doesNotContain(SECRET);
  }

  @Test
  void aSecondTransportOrARepeatedSettingIsRefusedWithoutTheSecretValue() {
    McpToolClient.Builder builder =
        McpToolClient.builder("files").command("server").environment("TOKEN", SECRET);

    assertThatThrownBy(() -> builder.url("http://localhost/mcp"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("MCP server 'files': url cannot be set, a command (server) was already set");
    assertThatThrownBy(() -> builder.environment("TOKEN", "other"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("environment variable 'TOKEN' was already set (its value is not shown)");
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout must be from 1 ms to 10 min, was PT0S");
    builder.allow("read_file");
    assertThatThrownBy(() -> builder.allow("write_file"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("allow was already set");
  }

  @Test
  void settingsThatDoNotFitTheTransportAreRefusedAtBuild() {
    assertThatThrownBy(() -> McpToolClient.builder("x").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("MCP server 'x' needs a command or a url");
    assertThatThrownBy(
            () ->
                McpToolClient.builder("x")
                    .command("server")
                    .header("Authorization", SECRET)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("MCP server 'x': headers need a url, not a command");
    assertThatThrownBy(
            () ->
                McpToolClient.builder("x")
                    .url("http://localhost/mcp")
                    .environment("TOKEN", SECRET)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("need a command, not a url");
  }

  @Test
  void namesAndUrlsAreChecked() {
    assertThatThrownBy(() -> McpToolClient.builder("bad name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid MCP server name 'bad name': expected 1 to 64 of A-Z a-z 0-9 _ . -");
    assertThatThrownBy(() -> McpToolClient.builder("x").url("file:///etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("url must be an absolute http or https URL");
    assertThatThrownBy(() -> McpToolClient.builder("x").toolNamePrefix("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> McpToolClient.builder("x").header("Bad Header", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid header name 'Bad Header'");
  }
}
