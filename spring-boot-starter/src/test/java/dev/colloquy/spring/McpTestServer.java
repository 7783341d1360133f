package dev.colloquy.spring;

import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolParam;
import dev.colloquy.core.tool.Toolbox;
import dev.colloquy.mcp.McpToolServer;
import java.util.List;

/** A process serving two tools over stdio (colloquy-mcp's server), for the starter's MCP tests. */
public final class McpTestServer {
  private McpTestServer() {}

  /** The served tools. */
  public static final class ShopTools {
    @Tool(name = "orderStatus", description = "Returns the status of an order")
    public String orderStatus(@ToolParam(name = "orderId") int orderId) {
      return "order " + orderId + " shipped";
    }

    @Tool(name = "refund", description = "Refunds an order")
    public String refund(@ToolParam(name = "orderId") int orderId) {
      return "refunded " + orderId;
    }
  }

  public static void main(String[] args) throws InterruptedException {
    McpToolServer.builder(Toolbox.builder().add(new ShopTools()).build()).build().serveStdio();
    Thread.currentThread().join();
  }

  /** The properties that run this server as {@code colloquy.mcp.servers.<name>}. */
  static String[] properties(String name) {
    String prefix = "colloquy.mcp.servers." + name + ".";
    return new String[] {
      prefix + "command=" + ProcessHandle.current().info().command().orElse("java"),
      prefix + "args[0]=-XX:TieredStopAtLevel=1",
      prefix + "args[1]=-cp",
      prefix + "args[2]=" + System.getProperty("java.class.path"),
      prefix + "args[3]=" + McpTestServer.class.getName()
    };
  }

  static List<String> command() {
    return List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1",
        "-cp",
        System.getProperty("java.class.path"),
        McpTestServer.class.getName());
  }
}
