package dev.colloquy.model.local;

import dev.colloquy.core.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a conversation into the prompt a checkpoint was trained on, and says where the reply ends.
 * Plain GPT-2 was never tuned for chat: {@link #transcript()} writes a role-labelled transcript and
 * stops at the next role label. DialoGPT was trained on turns separated by end-of-text:
 * {@link #dialoGpt()}. Implement this interface for other checkpoints.
 *
 * <p>Implementations must be immutable and thread-safe.
 */
public interface ChatFormat {

  /**
   * Renders the messages as prompt segments, ending where the model's reply begins.
   *
   * @param messages the conversation, oldest first, not empty
   * @return the prompt's segments in order
   */
  List<Segment> render(List<Message> messages);

  /** Returns texts that end the reply when the model writes them (besides end-of-text). */
  List<String> stopSequences();

  /** A piece of a prompt: text to tokenize, or the model's end-of-text token. */
  sealed interface Segment permits Text, EndOfText {
  }

  /**
   * Text, tokenized as plain text (special-token names in it are not special).
   *
   * @param text the text
   */
  record Text(String text) implements Segment {
    /** Validates the text. */
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /** The end-of-text token of the checkpoint ({@code eos_token_id}). */
  enum EndOfText implements Segment {
    /** The only instance. */
    INSTANCE
  }

  /**
   * Returns the transcript format: the system text first, then one {@code User: } or
   * {@code Assistant: } line per turn (tool results as {@code Tool: }), ending with
   * {@code Assistant:}; the reply stops at a new {@code User:} or {@code Assistant:} line.
   */
  static ChatFormat transcript() {
    return TranscriptFormat.INSTANCE;
  }

  /**
   * Returns DialoGPT's format: each turn's text followed by end-of-text; system messages become a
   * first turn. The reply ends at end-of-text.
   */
  static ChatFormat dialoGpt() {
    return DialoGptFormat.INSTANCE;
  }
}

/** See {@link ChatFormat#transcript()}. */
enum TranscriptFormat implements ChatFormat {
  INSTANCE;

  @Override
  public List<Segment> render(List<Message> messages) {
    StringBuilder prompt = new StringBuilder();
    for (Message message : messages) {
      switch (message.role()) {
        case SYSTEM -> prompt.append(message.text().strip()).append("\n\n");
        case USER -> prompt.append("User: ").append(message.text().strip()).append('\n');
        case ASSISTANT -> prompt.append("Assistant: ").append(message.text().strip()).append('\n');
        case TOOL -> prompt.append("Tool: ").append(message.text().strip()).append('\n');
      }
    }
    prompt.append("Assistant:");
    return List.of(new Text(prompt.toString()));
  }

  @Override
  public List<String> stopSequences() {
    return List.of("\nUser:", "\nAssistant:");
  }
}

/** See {@link ChatFormat#dialoGpt()}. */
enum DialoGptFormat implements ChatFormat {
  INSTANCE;

  @Override
  public List<Segment> render(List<Message> messages) {
    List<Segment> segments = new ArrayList<>();
    for (Message message : messages) {
      segments.add(new Text(message.text()));
      segments.add(EndOfText.INSTANCE);
    }
    return List.copyOf(segments);
  }

  @Override
  public List<String> stopSequences() {
    return List.of();
  }
}
