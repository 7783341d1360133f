package dev.colloquy.demo;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.guard.Guards;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.core.tool.Toolbox;
import java.util.List;

/**
 * The demo shop's customer-service agent: the system prompt the embedded model was trained with,
 * the {@code orderStatus} tool of {@link OrderBook}, and a short memory window.
 */
public final class ShopAgent {

  /** The system prompt (the English one of the two the model was trained with). */
  public static final String SYSTEM = Phrases.SYSTEM_EN;

  private ShopAgent() {}

  /** Builds the agent over a model (the embedded {@link ShopModel}, or any other backend). */
  public static Agent create(ChatModel model) {
    return create(model, InMemoryStore.create());
  }

  /**
   * Builds the agent over a model, keeping its conversations in a store (a SQLite file for the
   * CLI's {@code --memory}, say).
   */
  public static Agent create(ChatModel model, MemoryStore store) {
    return Agent.builder()
        .model(model)
        .system(SYSTEM)
        .memory(ChatMemory.window(6, store))
        // The model was trained on plain digits: full-width ones (Chinese input methods) read as
        // digits after normalisation.
        .inputGuard(Guards.normalizeText())
        .tools(new OrderBook())
        .build();
  }

  /**
   * Builds the agent without its tool, for a model whose {@code capabilities().toolCalling()} is
   * false (a plain GPT-2 checkpoint, say): offering it a tool would fail every turn.
   */
  public static Agent createWithoutTools(ChatModel model) {
    return createWithoutTools(model, InMemoryStore.create());
  }

  /** Builds the agent without its tool, keeping its conversations in a store. */
  public static Agent createWithoutTools(ChatModel model, MemoryStore store) {
    return Agent.builder()
        .model(model)
        .system(SYSTEM)
        .memory(ChatMemory.window(6, store))
        .inputGuard(Guards.normalizeText())
        .build();
  }

  /** Returns the tool specifications the agent offers, as the model sees them. */
  public static List<ToolSpecification> tools() {
    return Toolbox.builder().add(new OrderBook()).build().specifications();
  }
}
