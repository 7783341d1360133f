package dev.colloquy.dsl.internal.compile;

import dev.colloquy.dsl.ast.Declaration;
import dev.colloquy.dsl.ast.McpSetting;
import dev.colloquy.dsl.ast.Name;
import dev.colloquy.dsl.internal.syntax.ParsedSource;
import dev.colloquy.dsl.internal.syntax.Suggestions;
import dev.colloquy.dsl.internal.syntax.Token;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks an {@code mcp} declaration: a command or a URL (one of them), environment variables only
 * for a command and headers only for a URL, each once, values only from declared secrets (so a
 * token never stands in a file), and an allow-list without repeats.
 */
final class McpChecker {
  private final ParsedSource file;
  private final Declaration.McpServer server;
  private final Map<String, Declaration> declared;

  private McpChecker(
      ParsedSource file, Declaration.McpServer server, Map<String, Declaration> declared) {
    this.file = file;
    this.server = server;
    this.declared = declared;
  }

  static McpPlan check(
      ParsedSource file, Declaration.McpServer server, Map<String, Declaration> declared) {
    return new McpChecker(file, server, declared).check();
  }

  private McpPlan check() {
    String owner = "mcp server `" + server.name() + "`";
    Map<String, McpSetting> once = new LinkedHashMap<>();
    List<String> command = List.of();
    String url = "";
    Map<String, String> environment = new LinkedHashMap<>();
    Map<String, String> headers = new LinkedHashMap<>();
    Set<String> headerNames = new LinkedHashSet<>();
    List<String> tools = new ArrayList<>();
    for (McpSetting setting : server.settings()) {
      String keyword = keyword(setting);
      if (once.containsKey(keyword)) {
        error(
            setting,
            "`" + keyword + "` is set twice in " + owner,
            "the first is at line "
                + file.source().line(file.spans().at(once.get(keyword)).start()));
        continue;
      }
      if (setting instanceof McpSetting.Command c) {
        once.put(keyword, setting);
        command = c.words();
        if (c.words().get(0).isBlank()) {
          error(setting, "the command of " + owner + " has no program");
        }
      } else if (setting instanceof McpSetting.Url u) {
        once.put(keyword, setting);
        url = u.url();
        if (!isHttpUrl(u.url())) {
          error(
              setting,
              "the url of " + owner + " must be an absolute http or https URL",
              "such as \"http://localhost:3001/mcp\"");
        }
      } else if (setting instanceof McpSetting.Environment e) {
        if (environment.containsKey(e.variable())) {
          error(setting, "environment variable `" + e.variable() + "` is set twice in " + owner);
        }
        secret(e.secret());
        environment.put(e.variable(), e.secret().value());
      } else if (setting instanceof McpSetting.Header h) {
        if (!h.header().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
          error(setting, "`" + Token.shortened(h.header()) + "` is not a valid header name");
        } else if (!headerNames.add(h.header().toLowerCase(Locale.ROOT))) {
          error(setting, "header `" + h.header() + "` is set twice in " + owner);
        }
        secret(h.secret());
        headers.put(h.header(), h.secret().value());
      } else if (setting instanceof McpSetting.Tools t) {
        once.put(keyword, setting);
        for (String tool : t.names()) {
          if (tool.isBlank()) {
            error(setting, "a tool name in " + owner + " is blank");
          } else if (tools.contains(tool)) {
            error(setting, "tool `" + Token.shortened(tool) + "` is listed twice in " + owner);
          } else {
            tools.add(tool);
          }
        }
      }
    }
    boolean hasCommand = once.containsKey("command");
    boolean hasUrl = once.containsKey("url");
    if (hasCommand && hasUrl) {
      error(
          once.get("url"),
          owner + " has both a command and a url",
          "a server is either a process (`command`) or an HTTP endpoint (`url`)");
    } else if (!hasCommand && !hasUrl) {
      error(
          server,
          owner + " has neither a command nor a url",
          "add `command \"program\" \"argument\"` (stdio) or `url \"https://host/mcp\"` (HTTP)");
    }
    for (McpSetting setting : server.settings()) {
      if (setting instanceof McpSetting.Environment && hasUrl && !hasCommand) {
        error(setting, "`env` needs a command: " + owner + " is reached by its url");
      } else if (setting instanceof McpSetting.Header && hasCommand && !hasUrl) {
        error(setting, "`header` needs a url: " + owner + " is started by its command");
      }
    }
    return new McpPlan(server.name(), command, url, environment, headers, tools, file, server);
  }

  private void secret(Name name) {
    if (!(declared.get(name.value()) instanceof Declaration.Secret)) {
      List<String> secrets =
          declared.values().stream()
              .filter(Declaration.Secret.class::isInstance)
              .map(Declaration::name)
              .toList();
      List<String> notes = new ArrayList<>();
      notes.add(
          "a value comes from a secret: declare `secret " + name.value() + " = env \"VARIABLE\"`");
      notes.addAll(Suggestions.forUnknown("secrets", name.value(), secrets));
      error(name, "unknown secret `" + name.value() + "`", notes.toArray(String[]::new));
    }
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String keyword(McpSetting setting) {
    return setting instanceof McpSetting.Command
        ? "command"
        : setting instanceof McpSetting.Url
            ? "url"
            : setting instanceof McpSetting.Environment
                ? "env"
                : setting instanceof McpSetting.Header ? "header" : "tools";
  }

  private void error(Object node, String message, String... notes) {
    Token at = file.spans().at(node);
    file.reporter().error(at.start(), at.end() - at.start(), message, List.of(notes));
  }
}
