package dev.colloquy.core.message;

/**
 * One message of a conversation. The family is closed: a system instruction, a user turn, an
 * assistant reply (text and/or tool calls) and a tool result linked to the call it answers.
 */
public sealed interface Message
    permits SystemMessage, UserMessage, AssistantMessage, ToolResultMessage {

  /** Returns the role of this message as chat protocols name it. */
  Role role();

  /** Returns the text of this message; empty for an assistant message holding only tool calls. */
  String text();

  /** Creates a system message. */
  static SystemMessage system(String text) {
    return new SystemMessage(text);
  }

  /** Creates a user message. */
  static UserMessage user(String text) {
    return new UserMessage(text);
  }

  /** Creates an assistant message holding text only. */
  static AssistantMessage assistant(String text) {
    return AssistantMessage.of(text);
  }

  /** The roles of the message family. */
  enum Role {
    /** Instructions to the model. */
    SYSTEM,
    /** A turn of the human user. */
    USER,
    /** A reply of the model. */
    ASSISTANT,
    /** The result of a tool call. */
    TOOL
  }
}
