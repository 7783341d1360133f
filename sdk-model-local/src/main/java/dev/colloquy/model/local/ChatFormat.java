package dev.colloquy.model.local;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ToolSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a conversation into the prompt a checkpoint was trained on, and says where the reply ends.
 * Plain GPT-2 was never tuned for chat: {@link #transcript()} writes a role-labelled transcript and
 * stops at the next role label. DialoGPT was trained on turns separated by end-of-text: {@link
 * #dialoGpt()}. Today's instruct models bring their own Jinja template: {@link #template}.
 * Implement this interface for other checkpoints.
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

  /**
   * Returns whether this format describes tools in the prompt and reads tool calls back from the
   * model's output ({@code [call NAME {json}]}, see {@link #colloquy()}; a template's native
   * syntax, see {@link ToolCallSyntax}). The model's {@code capabilities().toolCalling()} follows
   * it.
   */
  default boolean supportsTools() {
    return false;
  }

  /**
   * Renders the messages with the tools on offer described in the prompt. The default, for formats
   * without tool support, renders the messages alone.
   *
   * @param messages the conversation, oldest first, not empty
   * @param tools the tools on offer; must be empty unless {@link #supportsTools()}
   * @return the prompt's segments in order
   * @throws IllegalArgumentException when tools are offered to a format without tool support
   */
  default List<Segment> render(List<Message> messages, List<ToolSpecification> tools) {
    if (!tools.isEmpty()) {
      throw new IllegalArgumentException("chat format " + this + " does not support tools");
    }
    return render(messages);
  }

  /**
   * A piece of a prompt: text to tokenize, the model's end-of-text token, or a special token the
   * format itself writes.
   */
  sealed interface Segment permits Text, EndOfText, Special {}

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

  /**
   * A special token of the tokenizer, written by the format (a chat template's {@code
   * <|im_start|>}, say), never by message text.
   *
   * @param token the token's string as the tokenizer names it, not empty
   */
  record Special(String token) implements Segment {
    /** Validates the token. */
    public Special {
      Objects.requireNonNull(token, "token");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("a special token must not be empty");
      }
    }
  }

  /** The end-of-text token of the checkpoint ({@code eos_token_id}). */
  enum EndOfText implements Segment {
    /** The only instance. */
    INSTANCE
  }

  /**
   * Returns the transcript format: the system text first, then one {@code User: } or {@code
   * Assistant: } line per turn (tool results as {@code Tool: }), ending with {@code Assistant:};
   * the reply stops at a new {@code User:} or {@code Assistant:} line.
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

  /**
   * Returns the tool-aware format of the models Colloquy trains (such as the embedded demo model):
   * {@code System: }, {@code Tools: name(param: type) description}, {@code User: } and {@code Tool:
   * } lines; each reply follows {@code Assistant:} and ends with end-of-text. The model calls a
   * tool by writing {@code [call orderStatus {"orderId":10234}]}; such calls are parsed into tool
   * calls, also while streaming, and never appear as text.
   */
  static ChatFormat colloquy() {
    return ColloquyFormat.INSTANCE;
  }

  /**
   * Starts a format from a model's own Jinja chat template ({@code chat_template} in {@code
   * tokenizer_config.json} or {@code tokenizer.chat_template} in a GGUF file); see {@link
   * TemplateChatFormat}.
   *
   * @param template the template text, not blank
   * @throws IllegalArgumentException when it is blank
   */
  static TemplateChatFormat.Builder template(String template) {
    return new TemplateChatFormat.Builder(template);
  }

  /**
   * Returns a built-in format by name: {@code transcript}, {@code dialogpt} or {@code colloquy}.
   *
   * @throws IllegalArgumentException for another name, listing the known ones
   */
  static ChatFormat named(String name) {
    return switch (name) {
      case "transcript" -> transcript();
      case "dialogpt" -> dialoGpt();
      case "colloquy" -> colloquy();
      default ->
          throw new IllegalArgumentException(
              "unknown chat format '" + name + "': expected transcript, dialogpt or colloquy");
    };
  }
}

/** See {@link ChatFormat#colloquy()}. */
enum ColloquyFormat implements ChatFormat {
  INSTANCE;

  @Override
  public List<Segment> render(List<Message> messages) {
    return render(messages, List.of());
  }

  @Override
  public List<Segment> render(List<Message> messages, List<ToolSpecification> tools) {
    List<Segment> segments = new ArrayList<>();
    for (dev.colloquy.model.local.internal.format.ToolTranscript.Piece piece :
        dev.colloquy.model.local.internal.format.ToolTranscript.pieces(messages, tools, true)) {
      if (piece.reply()) {
        segments.add(new Text(" " + piece.text()));
        segments.add(EndOfText.INSTANCE);
      } else {
        segments.add(new Text(piece.text()));
      }
    }
    return List.copyOf(segments);
  }

  @Override
  public List<String> stopSequences() {
    return List.of("\nUser:", "\nAssistant:", "\nTool:");
  }

  @Override
  public boolean supportsTools() {
    return true;
  }

  @Override
  public String toString() {
    return "colloquy";
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

  @Override
  public String toString() {
    return "transcript";
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

  @Override
  public String toString() {
    return "dialogpt";
  }
}
