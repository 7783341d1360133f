package dev.colloquy.model.local.internal.generation;

import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.model.local.ChatFormat;
import dev.colloquy.model.local.ContextOverflow;
import dev.colloquy.model.local.ContextOverflowException;
import dev.colloquy.model.local.TemplateChatFormat;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.List;

/** Renders a conversation with a chat format, tokenizes it, and applies the overflow policy. */
public final class PromptEncoder {

  /** The encoded prompt and how many messages were dropped to fit it. */
  public record Prompt(int[] tokens, int droppedMessages) {}

  private final BpeTokenizer tokenizer;
  private final ChatFormat format;
  private final int endOfTextId;
  private final int contextLength;

  /**
   * @param tokenizer encodes text and gives special tokens' ids by their text
   * @param format renders the conversation
   * @param endOfTextId the id of {@link ChatFormat.EndOfText} segments
   * @param contextLength the model's context window
   */
  public PromptEncoder(
      BpeTokenizer tokenizer, ChatFormat format, int endOfTextId, int contextLength) {
    this.tokenizer = tokenizer;
    this.format = format;
    this.endOfTextId = endOfTextId;
    this.contextLength = contextLength;
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

  /**
   * Adjacent text segments are joined before encoding (BPE over pieces gives other ids than over
   * the whole); text after a special token is encoded as following text (SentencePiece files that
   * prepend a space only at the start differ there), with the whitespace the special token's
   * lstrip/rstrip flags take. A begin-of-text token is prepended only for formats that do not write
   * it themselves (a template writes {@code bos_token}) and only when the tokenizer asks for one.
   */
  private int[] tokens(List<Message> messages, List<ToolSpecification> tools) {
    List<int[]> parts = new ArrayList<>();
    if (!(format instanceof TemplateChatFormat) && tokenizer.addsBosToken()) {
      tokenizer.bos().ifPresent(bos -> parts.add(new int[] {bos.id()}));
    }
    StringBuilder text = new StringBuilder();
    // A bos the tokenizer adds is not in the text: what follows is still the text's start, as when
    // Hugging Face encodes with add_special_tokens.
    boolean atStart = true;
    boolean stripNextLeading = false;
    for (ChatFormat.Segment segment : format.render(messages, tools)) {
      if (segment instanceof ChatFormat.Text piece) {
        text.append(piece.text());
        continue;
      }
      int id;
      if (segment instanceof ChatFormat.Special special) {
        BpeTokenizer.AddedToken token = addedToken(special.token());
        if (token.leftStrip()) {
          stripTrailing(text);
        }
        id = token.id();
        atStart = flush(parts, text, atStart, stripNextLeading);
        stripNextLeading = token.rightStrip();
      } else {
        atStart = flush(parts, text, atStart, stripNextLeading);
        stripNextLeading = false;
        id = endOfTextId;
      }
      parts.add(new int[] {id});
      atStart = false;
    }
    flush(parts, text, atStart, stripNextLeading);
    int total = 0;
    for (int[] part : parts) {
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

  private BpeTokenizer.AddedToken addedToken(String token) {
    return tokenizer
        .addedToken(token)
        .orElseThrow(
            () ->
                new NonRetryableException(
                    "the chat format wrote the special token '"
                        + token
                        + "', which tokenizer "
                        + tokenizer.file()
                        + " does not have: use a chat format made for this model"));
  }

  /** Encodes and clears the pending text; returns whether the prompt is still at its start. */
  private boolean flush(
      List<int[]> parts, StringBuilder text, boolean atStart, boolean stripLeading) {
    String pending = text.toString();
    text.setLength(0);
    if (stripLeading) {
      pending = pending.stripLeading();
    }
    if (pending.isEmpty()) {
      return atStart;
    }
    parts.add(atStart ? tokenizer.encode(pending) : tokenizer.encodeFollowing(pending));
    return false;
  }

  private static void stripTrailing(StringBuilder text) {
    int end = text.length();
    while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    text.setLength(end);
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
