package dev.colloquy.core.tool;

import dev.colloquy.core.message.ToolCall;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Checks the tool calls a model asked for in one round against the user's message, before any of
 * them runs, and decides to run them or to end the turn with a fixed answer instead.
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
   * @param userText the user's message of this turn as the model read it (after the input guard),
   *     with any redacted values restored
   * @param calls the calls the model asked for, in order, with any redacted values restored in
   *     their arguments; not empty
   * @return the decision
   */
  ToolCallDecision check(String userText, List<ToolCall> calls);

  /**
   * Returns a check made of a name and a function.
   *
   * @param name the check's name; not blank
   * @param check the decision function, given the user's text and the calls; must not return null
   */
  static ToolCallCheck of(String name, BiFunction<String, List<ToolCall>, ToolCallDecision> check) {
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
      public ToolCallDecision check(String userText, List<ToolCall> calls) {
        return Objects.requireNonNull(
            check.apply(userText, calls), () -> "tool call check '" + name + "' returned null");
      }

      @Override
      public String toString() {
        return "ToolCallCheck(" + name + ")";
      }
    };
  }
}
