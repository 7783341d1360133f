package dev.colloquy.core.tool;

import java.util.Objects;

/**
 * What a {@link ToolCallCheck} decided about one round's tool calls: run them, or end the turn with
 * an answer and run none.
 */
public sealed interface ToolCallDecision {

  /** Returns the decision that runs the calls as the model asked. */
  static ToolCallDecision run() {
    return Run.INSTANCE;
  }

  /**
   * Returns the decision that runs none of the calls and ends the turn with a fixed answer.
   *
   * @param text the answer the user gets, remembered as the assistant's reply; not blank
   * @param reason why, for logs and events; must not contain the calls' argument values
   */
  static ToolCallDecision answer(String text, String reason) {
    return new Answer(text, reason);
  }

  /** The calls run. */
  enum Run implements ToolCallDecision {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "Run";
    }
  }

  /**
   * No call runs; the turn ends with {@code text}.
   *
   * @param text the answer; not blank
   * @param reason why; not blank
   */
  record Answer(String text, String reason) implements ToolCallDecision {
    /** Validates the fields. */
    public Answer {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(reason, "reason");
      if (text.isBlank()) {
        throw new IllegalArgumentException("a tool call check's answer must not be blank");
      }
      if (reason.isBlank()) {
        throw new IllegalArgumentException("a tool call check's reason must not be blank");
      }
    }
  }
}
