package dev.colloquy.dsl;

import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.dsl.internal.compile.AgentPlan;
import dev.colloquy.dsl.internal.compile.Checker;
import dev.colloquy.dsl.internal.compile.McpPlan;
import dev.colloquy.dsl.internal.syntax.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The load-time half of {@code mcp} declarations: connects each declared server that an agent
 * names, through the application's {@link McpConnector}, and reports what goes wrong as an error at
 * the declaration — no connector bound, a server that cannot be reached, a tool that is not
 * offered, two tools of one agent with the same name — with every secret's value removed.
 */
final class McpServers {
  private static final String MASK = "***";

  private McpServers() {}

  /** Returns each used server's tools by the server's name; failures go to the files' reporters. */
  static Map<String, List<ToolDefinition>> connect(
      Checker.Result checked,
      Bindings bindings,
      Map<String, Secret> secrets,
      Optional<McpConnector> connector) {
    Map<String, List<ToolDefinition>> tools = new LinkedHashMap<>();
    for (McpPlan plan : checked.mcpServers().values()) {
      String user = userOf(plan.name(), checked, bindings);
      if (user == null) {
        continue; // declared, but no agent names it: nothing is started
      }
      if (connector.isEmpty()) {
        error(
            plan,
            "mcp server `"
                + plan.name()
                + "` is used by agent `"
                + user
                + "`, but the application binds no MCP connector",
            "bind one with Bindings.builder().mcp(connector), such as colloquy-mcp's"
                + " McpToolClients");
        continue;
      }
      Map<String, Secret> environment = new LinkedHashMap<>();
      plan.environment()
          .forEach((variable, secret) -> environment.put(variable, secrets.get(secret)));
      Map<String, Secret> headers = new LinkedHashMap<>();
      plan.headers().forEach((header, secret) -> headers.put(header, secrets.get(secret)));
      McpServerDefinition definition =
          new McpServerDefinition(
              plan.name(), plan.command(), plan.url(), environment, headers, plan.tools());
      try {
        tools.put(plan.name(), List.copyOf(connector.get().tools(definition)));
      } catch (RuntimeException e) {
        error(
            plan,
            "mcp server `" + plan.name() + "` cannot be used: " + redact(e, secrets),
            "agent `" + user + "` names it in its tools");
      }
    }
    return tools;
  }

  /**
   * Reports two tools of one agent with the same name (two servers' {@code echo}, say) at the
   * server that brought the second; returns whether there was none.
   */
  static boolean checkClashes(AgentPlan agent, List<ToolDefinition> tools, Checker.Result checked) {
    Map<String, Integer> seen = new HashMap<>();
    boolean clean = true;
    for (int i = 0; i < tools.size(); i++) {
      Integer first = seen.putIfAbsent(tools.get(i).name(), i);
      if (first != null) {
        clean = false;
        String name = tools.get(i).name();
        McpPlan server = serverOf(agent, name, checked);
        if (server != null) {
          error(
              server,
              "tool `"
                  + Token.shortened(name)
                  + "` of mcp server `"
                  + server.name()
                  + "` clashes with another tool of agent `"
                  + agent.name()
                  + "` with that name",
              "leave one of them out with the server's `tools` line");
        }
      }
    }
    return clean;
  }

  // The last server the agent names that offers a tool of this name.
  private static McpPlan serverOf(AgentPlan agent, String tool, Checker.Result checked) {
    McpPlan found = null;
    for (String name : agent.tools()) {
      McpPlan plan = checked.mcpServers().get(name);
      if (plan != null && (plan.tools().isEmpty() || plan.tools().contains(tool))) {
        found = plan;
      }
    }
    return found;
  }

  private static String userOf(String server, Checker.Result checked, Bindings bindings) {
    if (bindings.tool(server).isPresent()) {
      return null; // a bound tool of that name wins, as it does over a flow
    }
    for (AgentPlan agent : checked.agents().values()) {
      if (agent.tools().contains(server)) {
        return agent.name();
      }
    }
    return null;
  }

  // The connector removes its own secrets; this removes every secret of the load, to be sure.
  private static String redact(RuntimeException failure, Map<String, Secret> secrets) {
    String message =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    List<String> values = new ArrayList<>();
    for (Secret secret : secrets.values()) {
      if (secret.reveal().length() >= 4) {
        values.add(secret.reveal());
      }
    }
    values.sort(Comparator.comparingInt(String::length).reversed());
    for (String value : values) {
      message = message.replace(value, MASK);
    }
    return message.strip().replace("\r", "").replace("\n", " | ");
  }

  private static void error(McpPlan plan, String message, String... notes) {
    Token at = plan.file().spans().at(plan.declaration());
    plan.file().reporter().error(at, message, notes);
  }
}
