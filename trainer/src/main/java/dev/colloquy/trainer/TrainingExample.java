package dev.colloquy.trainer;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ToolSpecification;
import java.util.List;
import java.util.Objects;

/**
 * One training conversation, rendered in {@code ChatFormat.colloquy()}; the model learns to write
 * its assistant messages (text and tool calls), the rest is context.
 *
 * @param messages the conversation, oldest first, with at least one assistant message
 * @param tools the tools described in the prompt, possibly none
 */
public record TrainingExample(List<Message> messages, List<ToolSpecification> tools) {

  /** Validates and copies the fields. */
  public TrainingExample {
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
    if (messages.stream().noneMatch(m -> m.role() == Message.Role.ASSISTANT)) {
      throw new IllegalArgumentException(
          "a training example needs at least one assistant message to learn from");
    }
  }
}
