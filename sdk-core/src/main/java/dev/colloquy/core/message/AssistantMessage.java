package dev.colloquy.core.message;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A reply of the model: text, tool calls, or both.
 *
 * @param text the reply's text, possibly empty when the reply holds tool calls
 * @param toolCalls the tools the model asked to run, in order; ids are unique
 */
public record AssistantMessage(String text, List<ToolCall> toolCalls) implements Message {

  /** Validates the fields and copies the list. */
  public AssistantMessage {
    Objects.requireNonNull(text, "text");
    toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
    Set<String> ids = new HashSet<>();
    for (ToolCall call : toolCalls) {
      if (!ids.add(call.id())) {
        throw new IllegalArgumentException(
            "tool call id '" + call.id() + "' appears twice in one assistant message");
      }
    }
  }

  /** Creates a text-only reply. */
  public static AssistantMessage of(String text) {
    return new AssistantMessage(text, List.of());
  }

  /** Creates a reply holding only tool calls. */
  public static AssistantMessage ofToolCalls(List<ToolCall> toolCalls) {
    if (toolCalls.isEmpty()) {
      throw new IllegalArgumentException("toolCalls must not be empty");
    }
    return new AssistantMessage("", toolCalls);
  }

  /** Returns whether the model asked for at least one tool. */
  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }

  @Override
  public Role role() {
    return Role.ASSISTANT;
  }
}
