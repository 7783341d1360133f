package com.example.shop;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolParam;

/** A user's agent: a system prompt with a variable, memory, one tool. */
public final class Assistant {

  /** The shop's tool. */
  public static final class Orders {
    @Tool(description = "Looks up the status of an order by its number")
    public String orderStatus(@ToolParam(description = "the order number") int orderId) {
      return orderId == 10234 ? "shipped" : "unknown order";
    }
  }

  private Assistant() {}

  /** Returns the agent on a model. */
  public static Agent on(ChatModel model) {
    return Agent.builder()
        .model(model)
        .system("You are the assistant of {{shop}}.")
        .variable("shop", "Acme Books")
        .memory(ChatMemory.window(20))
        .tools(new Orders())
        .build();
  }
}
