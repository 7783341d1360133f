package dev.colloquy.dsl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An MCP server as definition files declare it, secrets resolved: what an {@link McpConnector}
 * connects. Either a command (stdio) or a URL (Streamable HTTP).
 *
 * <pre>
 * secret github_token = env "GITHUB_TOKEN"
 *
 * mcp github {
 *   command "npx" "-y" "@modelcontextprotocol/server-github"
 *   env GITHUB_PERSONAL_ACCESS_TOKEN = github_token
 *   tools "search_issues", "get_issue"
 * }
 * </pre>
 *
 * <p>{@link #toString()} shows the secrets' names, never their values.
 *
 * @param name the server's name in the files
 * @param command the program and its arguments; empty for a URL
 * @param url the Streamable HTTP endpoint; empty for a command
 * @param environment environment variables of the process, in file order
 * @param headers headers of every HTTP request, in file order
 * @param tools the allow-list, the server's own tool names, in file order; empty for all tools
 */
public record McpServerDefinition(
    String name,
    List<String> command,
    String url,
    Map<String, Secret> environment,
    Map<String, Secret> headers,
    List<String> tools) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException when there is both or neither of a command and a URL
   */
  public McpServerDefinition {
    Objects.requireNonNull(name, "name");
    command = List.copyOf(command);
    Objects.requireNonNull(url, "url");
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    tools = List.copyOf(tools);
    if (command.isEmpty() == url.isEmpty()) {
      throw new IllegalArgumentException(
          "mcp server '" + name + "' needs either a command or a url, not both or neither");
    }
  }
}
