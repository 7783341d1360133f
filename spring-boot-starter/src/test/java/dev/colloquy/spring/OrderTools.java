package dev.colloquy.spring;

import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolParam;

/** A bean with a tool method, as an application would declare one. */
public class OrderTools {
  /** Returns an order's status. */
  @Tool(description = "Status of an order")
  public String orderStatus(
      @ToolParam(name = "orderId", description = "the order number") int orderId) {
    return "order " + orderId + " shipped";
  }
}
