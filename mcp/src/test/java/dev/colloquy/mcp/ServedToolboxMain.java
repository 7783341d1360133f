package dev.colloquy.mcp;

import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolParam;
import dev.colloquy.core.tool.Toolbox;
import java.util.List;

/**
 * A process serving a small Colloquy toolbox over stdio with {@link McpToolServer}, for the tests
 * that start it as an MCP server (with the SDK's client and with ours).
 */
public final class ServedToolboxMain {
  private ServedToolboxMain() {}

  /** The shop's tools. */
  public static final class ShopTools {
    @Tool(name = "orderStatus", description = "Returns the status of an order")
    public String orderStatus(@ToolParam(name = "orderId", description = "the order") int orderId) {
      return "order " + orderId + " shipped on Monday";
    }

    @Tool(name = "refund", description = "Refunds an order", requiresApproval = true)
    public String refund(@ToolParam(name = "orderId") int orderId) {
      return "refunded " + orderId;
    }

    @Tool(name = "internal", description = "Not for the outside")
    public String internal() {
      return "secret";
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Toolbox toolbox = Toolbox.builder().add(new ShopTools()).allow("orderStatus", "refund").build();
    McpToolServer server = McpToolServer.builder(toolbox).name("shop-tools").build();
    server.serveStdio();
    Thread.currentThread().join();
  }

  static List<String> command() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(
        java,
        "-XX:TieredStopAtLevel=1",
        "-cp",
        System.getProperty("java.class.path"),
        ServedToolboxMain.class.getName());
  }
}
