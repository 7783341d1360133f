package dev.colloquy.model.local.internal.generation;

import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.model.local.ChatFormat;
import dev.colloquy.model.local.ContextOverflow;
import dev.colloquy.model.local.ContextOverflowException;
import dev.colloquy.model.local.TemplateChatFormat;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renders a conversation with a chat format, tokenizes it, and applies the overflow policy. */
public final class PromptEncoder {

  /** The encoded prompt and how many messages were dropped to fit it. */
  public record Prompt(int[] tokens, int droppedMessages) {}

  private final BpeTokenizer tokenizer;
  private final ChatFormat format;
  private final int endOfTextId;
  private final int contextLength;
  private final ReplyMemory replies;

  /**
   * An encoder that tokenizes every message from its text.
   *
   * @param tokenizer encodes text and gives special tokens' ids by their text
   * @param format renders the conversation
   * @param endOfTextId the id of {@link ChatFormat.EndOfText} segments
   * @param contextLength the model's context window
   */
  public PromptEncoder(
      BpeTokenizer tokenizer, ChatFormat format, int endOfTextId, int contextLength) {
    this(tokenizer, format, endOfTextId, contextLength, new ReplyMemory(0));
  }

  /**
   * An encoder that writes each assistant message the model generated as the ids it generated
   * ({@link ReplyMemory}), wherever that reads as exactly the text the format renders.
   *
   * @param replies the model's own replies
   */
  public PromptEncoder(
      BpeTokenizer tokenizer,
      ChatFormat format,
      int endOfTextId,
      int contextLength,
      ReplyMemory replies) {
    this.tokenizer = tokenizer;
    this.format = format;
    this.endOfTextId = endOfTextId;
    this.contextLength = contextLength;
    this.replies = replies;
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
    List<ChatFormat.Segment> segments = format.render(messages, tools);
    if (replies.size() > 0 && !typedMarker(segments)) {
      // First every remembered reply; then, for a template that changes some (trims or escapes
      // them), only those that read as exactly their text.
      for (boolean exactOnly : new boolean[] {false, true}) {
        int[] own = ownIds(messages, tools, exactOnly);
        if (own != null) {
          return own;
        }
      }
    }
    return tokens(segments, Map.of());
  }

  /**
   * Returns the prompt with the remembered replies as the ids the model wrote, or null when there
   * are none or it does not read as the conversation with each reply as the model wrote it (with
   * the leading whitespace its text dropped).
   */
  private int[] ownIds(List<Message> messages, List<ToolSpecification> tools, boolean exactOnly) {
    // Each reply is rendered as a marker, which the tokenizing replaces with the reply's ids;
    // private-use characters, so that no real text is taken for one.
    Map<String, Written> byMarker = new HashMap<>();
    List<Message> marked = new ArrayList<>(messages.size());
    List<Message> asWritten = new ArrayList<>(messages.size());
    for (Message message : messages) {
      Optional<int[]> ids =
          message instanceof AssistantMessage reply && reply.toolCalls().isEmpty()
              ? replies.ids(reply.text())
              : Optional.empty();
      String reads = ids.isPresent() ? inContext(ids.get()) : "";
      if (ids.isPresent() && (!exactOnly || reads.equals(message.text()))) {
        String marker = String.valueOf(MARK_OPEN) + byMarker.size() + MARK_CLOSE;
        byMarker.put(marker, new Written(message.text(), ids.get(), reads));
        marked.add(AssistantMessage.of(marker));
        asWritten.add(AssistantMessage.of(reads));
      } else {
        marked.add(message);
        asWritten.add(message);
      }
    }
    if (byMarker.isEmpty()) {
      return null;
    }
    int[] own = tokens(format.render(marked, tools), byMarker);
    String expected = tokenizer.decode(tokens(format.render(asWritten, tools), Map.of()));
    return tokenizer.decode(own).equals(expected) ? own : null;
  }

  private static boolean typedMarker(List<ChatFormat.Segment> segments) {
    for (ChatFormat.Segment segment : segments) {
      if (segment instanceof ChatFormat.Text text && text.text().indexOf(MARK_OPEN) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static final char MARK_OPEN = '\uE000';
  private static final char MARK_CLOSE = '\uE001';

  /** A remembered reply: its text, the ids the model wrote, and what they read as mid-prompt. */
  private record Written(String text, int[] ids, String reads) {}

  private String inContext(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      out.writeBytes(tokenizer.bytes(id));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Adjacent text segments are joined before encoding (BPE over pieces gives other ids than over
   * the whole); text after a special token is encoded as following text (SentencePiece files that
   * prepend a space only at the start differ there), with the whitespace the special token's
   * lstrip/rstrip flags take. A begin-of-text token is prepended only for formats that do not write
   * it themselves (a template writes {@code bos_token}) and only when the tokenizer asks for one.
   */
  private int[] tokens(List<ChatFormat.Segment> segments, Map<String, Written> byMarker) {
    List<int[]> parts = new ArrayList<>();
    if (!(format instanceof TemplateChatFormat) && tokenizer.addsBosToken()) {
      tokenizer.bos().ifPresent(bos -> parts.add(new int[] {bos.id()}));
    }
    StringBuilder text = new StringBuilder();
    // A bos the tokenizer adds is not in the text: what follows is still the text's start, as when
    // Hugging Face encodes with add_special_tokens.
    boolean atStart = true;
    boolean stripNextLeading = false;
    for (ChatFormat.Segment segment : segments) {
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
        atStart = flush(parts, text, atStart, stripNextLeading, byMarker);
        stripNextLeading = token.rightStrip();
      } else {
        atStart = flush(parts, text, atStart, stripNextLeading, byMarker);
        stripNextLeading = false;
        id = endOfTextId;
      }
      parts.add(new int[] {id});
      atStart = false;
    }
    flush(parts, text, atStart, stripNextLeading, byMarker);
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

  /**
   * Encodes and clears the pending text, returning whether the prompt is still at its start. A
   * reply marker in it becomes the reply's ids where they read as the text the format renders
   * there, else the reply's text.
   */
  private boolean flush(
      List<int[]> parts,
      StringBuilder text,
      boolean atStart,
      boolean stripLeading,
      Map<String, Written> byMarker) {
    String pending = text.toString();
    text.setLength(0);
    if (stripLeading) {
      pending = pending.stripLeading();
    }
    StringBuilder run = new StringBuilder();
    int from = 0;
    int open;
    while (!byMarker.isEmpty() && (open = pending.indexOf(MARK_OPEN, from)) >= 0) {
      int close = pending.indexOf(MARK_CLOSE, open);
      Written reply = close < 0 ? null : byMarker.get(pending.substring(open, close + 1));
      if (reply == null) {
        run.append(pending, from, open + 1); // cannot happen unless the template cut a marker
        from = open + 1;
        continue;
      }
      run.append(pending, from, open);
      from = close + 1;
      // A format that strips the reply writes its own space or newline around it ("Assistant: "
      // + text.strip()): the ids may carry that whitespace instead. Else they carry the leading
      // whitespace the reply's text dropped, as the model wrote it.
      String reads = reply.reads();
      String lead = reads.substring(0, reads.length() - reads.stripLeading().length());
      String trail = reads.substring(reads.stripTrailing().length());
      boolean takeLead = false;
      boolean takeTrail = false;
      boolean fits = reads.equals(reply.text());
      if (!fits && !lead.isEmpty() && endsWith(run, lead)) {
        takeLead = fits = reads.equals(lead + reply.text());
      }
      if (!fits && !trail.isEmpty() && pending.startsWith(trail, from)) {
        takeTrail = fits = reads.equals(reply.text() + trail);
        if (!fits && !lead.isEmpty() && endsWith(run, lead)) {
          takeLead = takeTrail = fits = reads.equals(lead + reply.text() + trail);
        }
      }
      fits = fits || reads.stripLeading().equals(reply.text());
      if (!fits) {
        run.append(reply.text());
        continue;
      }
      if (takeLead) {
        run.setLength(run.length() - lead.length());
      }
      if (takeTrail) {
        from += trail.length();
      }
      atStart = encode(parts, run.toString(), atStart);
      run.setLength(0);
      parts.add(reply.ids());
      atStart = false;
    }
    run.append(pending, from, pending.length());
    return encode(parts, run.toString(), atStart);
  }

  private static boolean endsWith(StringBuilder text, String suffix) {
    int start = text.length() - suffix.length();
    return start >= 0 && text.substring(start).equals(suffix);
  }

  private boolean encode(List<int[]> parts, String text, boolean atStart) {
    if (text.isEmpty()) {
      return atStart;
    }
    parts.add(atStart ? tokenizer.encode(text) : tokenizer.encodeFollowing(text));
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
