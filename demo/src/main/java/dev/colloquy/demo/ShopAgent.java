package dev.colloquy.demo;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.guard.Guard;
import dev.colloquy.core.guard.GuardDecision;
import dev.colloquy.core.guard.Guards;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.core.tool.Toolbox;
import java.util.List;

/**
 * The demo shop's customer-service agent: the system prompt the embedded model was trained with,
 * the {@code orderStatus} tool of {@link OrderBook}, and a short memory window.
 *
 * <p>Context policy (issue 19): the embedded model reads 256 tokens, the system prompt and the tool
 * description take about 40 of them. So that a long message never ends a chat, the memory keeps the
 * latest turns within {@link #HISTORY_SHARE} of the model's context (and at most six messages), and
 * a message longer than {@link #MESSAGE_SHARE} of the context is answered with {@link #TOO_LONG}
 * before the model sees it; the conversation is unchanged. Built over a model with {@code
 * ContextOverflow.DROP_OLDEST_TURNS}, as the CLI does, a turn that still does not fit loses its
 * oldest history rather than failing.
 *
 * <p>Lookups (issue 19): the {@code orderStatus} tool runs only when the customer's message holds
 * exactly one plausible order number and the model asks for that number; any other call is answered
 * by asking for the order number, and nothing is looked up (see {@code OrderIdCheck}).
 *
 * <p>Language (issue 19): a reply made only of the shop's sentences is given in the language of the
 * customer's message, sentence by sentence (see {@code CustomerLanguage}); to check it first, the
 * agent streams a reply once it is complete, in one delta.
 */
public final class ShopAgent {

  /** The system prompt (the English one of the two the model was trained with). */
  public static final String SYSTEM = Phrases.SYSTEM_EN;

  /** The reply to a message too long for the model's context, in both languages. */
  public static final String TOO_LONG =
      "Sorry, that message is too long for me. Please ask again in a shorter message."
          + " 抱歉，这条消息太长了，请简短一些再问。";

  /** The share of the model's context a single message may take: 3/8, 96 of the demo's 256. */
  static final double MESSAGE_SHARE = 3.0 / 8;

  /** The share of the model's context the remembered turns may take: 1/2, 128 of 256. */
  static final double HISTORY_SHARE = 1.0 / 2;

  private static final int WINDOW = 6;

  private ShopAgent() {}

  /** NFKC first (full-width digits become digits), then the length check on the normal text. */
  private static Guard input(ChatModel model) {
    int window = model.capabilities().contextWindow();
    TokenCounter counter = model.tokenCounter().orElse(TokenCounter.estimate());
    int limit = Math.max(16, (int) (window * MESSAGE_SHARE));
    return Guards.normalizeText()
        .andThen(
            Guard.of(
                "fits-context",
                text -> {
                  int tokens = counter.count(text);
                  return tokens <= limit
                      ? GuardDecision.pass()
                      : GuardDecision.block(
                          "the message is "
                              + tokens
                              + " tokens, over the "
                              + limit
                              + " that a "
                              + window
                              + "-token context leaves for one message; shorten it");
                }));
  }

  private static ChatMemory memory(ChatModel model, MemoryStore store) {
    int window = model.capabilities().contextWindow();
    return ChatMemory.builder()
        .store(store)
        .maxMessages(WINDOW)
        .maxTokens(
            Math.max(16, (int) (window * HISTORY_SHARE)),
            model.tokenCounter().orElse(TokenCounter.estimate()))
        .build();
  }

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
        // The shop's sentences in the customer's language; the reply is streamed once complete.
        .model(new CustomerLanguage(model))
        .system(SYSTEM)
        .memory(memory(model, store))
        // The model was trained on plain digits: full-width ones (Chinese input methods) read as
        // digits after normalisation.
        .inputGuard(input(model))
        .refusal(TOO_LONG)
        .tools(new OrderBook())
        // A lookup only for the one plausible order number the customer wrote (issue 19).
        .toolCallCheck(OrderIdCheck.CHECK)
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
        .memory(memory(model, store))
        .inputGuard(input(model))
        .refusal(TOO_LONG)
        .build();
  }

  /** Returns the tool specifications the agent offers, as the model sees them. */
  public static List<ToolSpecification> tools() {
    return Toolbox.builder().add(new OrderBook()).build().specifications();
  }
}
