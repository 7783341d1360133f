package dev.colloquy.spring;

import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.mcp.McpToolClient;
import dev.colloquy.mcp.McpToolClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * MCP, when {@code colloquy-mcp} is on the class path: one {@link McpToolClients} bean, closed with
 * the context (its clients' processes stopped, their HTTP sessions ended), holding a client per
 * {@code colloquy.mcp.servers.<name>}; their tools join the auto-configured toolbox (each server's
 * {@code tools} allow-list applied), and agent definition files may declare servers of their own
 * ({@code mcp name { ... }}), which the same bean connects.
 *
 * <p>The servers are started or reached when the toolbox is made, at startup: one that cannot be
 * fails startup with its error.
 */
@AutoConfiguration(before = ColloquyAutoConfiguration.class)
@ConditionalOnClass(name = "dev.colloquy.mcp.McpToolClients")
@EnableConfigurationProperties(ColloquyProperties.class)
public class McpAutoConfiguration {

  /** The MCP clients: of the properties, and of the servers that definition files declare. */
  @Bean
  @ConditionalOnMissingBean
  McpToolClients colloquyMcpClients() {
    return McpToolClients.create();
  }

  /** The tools of the servers of {@code colloquy.mcp.servers}, for the toolbox. */
  @Bean
  ToolSource colloquyMcpTools(ColloquyProperties properties, McpToolClients clients) {
    List<McpToolClient> servers = new ArrayList<>();
    for (Map.Entry<String, McpProperties.Server> server :
        properties.getMcp().getServers().entrySet()) {
      servers.add(clients.add(client(server.getKey(), server.getValue())));
    }
    return () -> {
      List<ToolDefinition> tools = new ArrayList<>();
      servers.forEach(client -> tools.addAll(client.tools()));
      return tools;
    };
  }

  private static McpToolClient client(String name, McpProperties.Server server) {
    String property = "colloquy.mcp.servers." + name;
    McpToolClient.Builder client =
        McpToolClient.builder(name).connectTimeout(server.getConnectTimeout());
    boolean hasCommand = server.getCommand() != null && !server.getCommand().isBlank();
    boolean hasUrl = server.getUrl() != null && !server.getUrl().isBlank();
    if (hasCommand == hasUrl) {
      throw new IllegalStateException(
          property + " needs either " + property + ".command or " + property + ".url, not both");
    }
    if (hasCommand) {
      client.command(server.getCommand(), server.getArgs().toArray(String[]::new));
      server.getEnv().forEach(client::environment);
      if (server.getWorkingDirectory() != null) {
        client.workingDirectory(server.getWorkingDirectory());
      }
    } else {
      client.url(server.getUrl());
      server.getHeaders().forEach(client::header);
    }
    if (!server.getTools().isEmpty()) {
      client.allow(server.getTools());
    }
    if (!server.getToolNamePrefix().isEmpty()) {
      client.toolNamePrefix(server.getToolNamePrefix());
    }
    return client.requiresApproval(server.isRequiresApproval()).build();
  }
}
