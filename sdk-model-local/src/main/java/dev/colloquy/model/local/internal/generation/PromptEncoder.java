package dev.colloquy.model.local.internal.generation;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.model.local.ChatFormat;
import dev.colloquy.model.local.ContextOverflow;
import dev.colloquy.model.local.ContextOverflowException;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/** Renders a conversation with a chat format, tokenizes it, and applies the overflow policy. */
public final class PromptEncoder {

  /** The encoded prompt and how many messages were dropped to fit it. */
  public record Prompt(int[] tokens, int droppedMessages) {}

  private final BpeTokenizer tokenizer;
  private final ChatFormat format;
  private final int endOfTextId;
  private final int contextLength;
  private final ToIntFunction<String> specialTokenIds;

  /**
   * @param specialTokenIds the id of a special token by its string ({@link ChatFormat.Special}
   *     segments); throws, naming the token, when the tokenizer has none
   */
  public PromptEncoder(
      BpeTokenizer tokenizer,
      ChatFormat format,
      int endOfTextId,
      int contextLength,
      ToIntFunction<String> specialTokenIds) {
    this.tokenizer = tokenizer;
    this.format = format;
    this.endOfTextId = endOfTextId;
    this.contextLength = contextLength;
    this.specialTokenIds = specialTokenIds;
  }

  /**
   * Encodes the messages so that at least one reply token fits in the context window.
   *
   * @throws ContextOverflowException when it cannot fit under the policy
   */
  public Prompt encode(List<Message> messages, ContextOverflow policy) {
    return encode(messages, List.of(), policy);
  }

  /**
   * Encodes the messages, with the tools on offer described, so that at least one reply token fits.
   *
   * @throws ContextOverflowException when it cannot fit under the policy
   */
  public Prompt encode(
      List<Message> messages, List<ToolSpecification> tools, ContextOverflow policy) {
    List<Message> kept = new ArrayList<>(messages);
    int dropped = 0;
    while (true) {
      int[] tokens = tokens(kept, tools);
      if (tokens.length < contextLength) {
        return new Prompt(tokens, dropped);
      }
      int droppable = firstDroppable(kept);
      if (policy == ContextOverflow.FAIL || droppable < 0) {
        throw new ContextOverflowException(
            "the prompt is "
                + tokens.length
                + " tokens"
                + (dropped > 0 ? " after dropping the " + dropped + " oldest messages" : "")
                + " but the model's context window is "
                + contextLength
                + " tokens, with room needed for the reply: "
                + (policy == ContextOverflow.FAIL
                    ? "shorten the conversation (e.g. a smaller memory window) or build the model with ContextOverflow.DROP_OLDEST_TURNS"
                    : "the system messages and the last message alone are too long; shorten them"));
      }
      kept.remove(droppable);
      dropped++;
    }
  }

  private int[] tokens(List<Message> messages, List<ToolSpecification> tools) {
    List<int[]> parts = new ArrayList<>();
    int total = 0;
    for (ChatFormat.Segment segment : format.render(messages, tools)) {
      int[] part;
      if (segment instanceof ChatFormat.Text text) {
        part = tokenizer.encode(text.text());
      } else if (segment instanceof ChatFormat.Special special) {
        part = new int[] {specialTokenIds.applyAsInt(special.token())};
      } else {
        part = new int[] {endOfTextId};
      }
      parts.add(part);
      total += part.length;
    }
    int[] tokens = new int[total];
    int at = 0;
    for (int[] part : parts) {
      System.arraycopy(part, 0, tokens, at, part.length);
      at += part.length;
    }
    return tokens;
  }

  private static int firstDroppable(List<Message> messages) {
    for (int i = 0; i < messages.size() - 1; i++) {
      if (messages.get(i).role() != Message.Role.SYSTEM) {
        return i;
      }
    }
    return -1;
  }
}
