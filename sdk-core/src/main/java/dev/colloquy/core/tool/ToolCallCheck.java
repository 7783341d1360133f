package dev.colloquy.core.tool;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Checks the tool calls a model asked for in one round against the user's message (and the
 * conversation before it), before any of them runs, and decides to run them or to end the turn with
 * a fixed answer instead.
 *
 * <p>This is where an application keeps a model to what the user actually said: a lookup only for
 * an order number the user wrote, say. Unlike {@link ToolApproval}, which asks about one call of a
 * tool marked as needing approval and tells the model when it is denied, a check sees the user's
 * text and every call of the round, and its {@link ToolCallDecision#answer answer} ends the turn
 * without another model round: the right choice for a small model that was never taught what to do
 * with a denied call.
 *
 * <p>Implementations are thread-safe and do not throw for any input: calls they cannot judge are a
 * decision too.
 */
public interface ToolCallCheck {

  /** Returns the check's name for events, logs and meters; not blank. */
  String name();

  /**
   * Decides on one round's calls.
   *
   * @param round the user's message, the conversation before it, and the calls
   * @return the decision
   */
  ToolCallDecision check(Round round);

  /**
   * One round of tool calls as a check sees it.
   *
   * @param userText the user's message of this turn as the model read it (after the input guard),
   *     with any redacted values restored
   * @param history the conversation's earlier messages as remembered, oldest first, without the
   *     system prompt (with redaction, they hold their own turns' placeholders)
   * @param calls the calls the model asked for, in order, with any redacted values restored in
   *     their arguments; not empty
   */
  record Round(String userText, List<Message> history, List<ToolCall> calls) {
    /** Validates the fields and copies the lists. */
    public Round {
      Objects.requireNonNull(userText, "userText");
      history = List.copyOf(history);
      calls = List.copyOf(calls);
      if (calls.isEmpty()) {
        throw new IllegalArgumentException("a round of tool calls has at least one call");
      }
    }

    @Override
    public String toString() {
      // Arguments and the user's text may hold real values even with redaction: keep them out.
      return "Round[userText length="
          + userText.length()
          + ", history="
          + history.size()
          + " messages, calls="
          + calls.stream().map(ToolCall::name).toList()
          + "]";
    }
  }

  /**
   * Returns a check made of a name and a function.
   *
   * @param name the check's name; not blank
   * @param check the decision function; must not return null
   */
  static ToolCallCheck of(String name, Function<Round, ToolCallDecision> check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a tool call check's name must not be blank");
    }
    return new ToolCallCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ToolCallDecision check(Round round) {
        return Objects.requireNonNull(
            check.apply(round), () -> "tool call check '" + name + "' returned null");
      }

      @Override
      public String toString() {
        return "ToolCallCheck(" + name + ")";
      }
    };
  }
}
