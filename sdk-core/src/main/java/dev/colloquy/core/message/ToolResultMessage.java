package dev.colloquy.core.message;

import java.util.Objects;

/**
 * The result of one tool call, sent back to the model.
 *
 * @param toolCallId the id of the {@link ToolCall} this answers
 * @param toolName the name of the tool that ran
 * @param text the result as text (JSON for structured results)
 * @param error whether the text describes a failure rather than a result
 */
public record ToolResultMessage(String toolCallId, String toolName, String text, boolean error)
    implements Message {

  /** Validates the fields. */
  public ToolResultMessage {
    Objects.requireNonNull(toolCallId, "toolCallId");
    Objects.requireNonNull(toolName, "toolName");
    Objects.requireNonNull(text, "text");
    if (toolCallId.isBlank()) {
      throw new IllegalArgumentException("a tool result's toolCallId must not be blank");
    }
  }

  /** Creates a successful result for a call. */
  public static ToolResultMessage of(ToolCall call, String text) {
    return new ToolResultMessage(call.id(), call.name(), text, false);
  }

  /** Creates an error result for a call. */
  public static ToolResultMessage error(ToolCall call, String text) {
    return new ToolResultMessage(call.id(), call.name(), text, true);
  }

  @Override
  public Role role() {
    return Role.TOOL;
  }
}
