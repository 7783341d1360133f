package dev.colloquy.core.agent;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.TokenUsage;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a completed turn.
 *
 * @param text the final reply's text
 * @param messages every message the turn added to the conversation, user message first
 * @param finishReason why the final model call stopped
 * @param usage tokens used by all model calls of the turn
 * @param modelId the model that gave the final reply
 */
public record Reply(
    String text,
    List<Message> messages,
    FinishReason finishReason,
    TokenUsage usage,
    String modelId) {

  /** Validates and copies the fields. */
  public Reply {
    Objects.requireNonNull(text, "text");
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    Objects.requireNonNull(finishReason, "finishReason");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(modelId, "modelId");
  }
}
