package dev.colloquy.core.model;

import dev.colloquy.core.message.AssistantMessage;
import java.util.Objects;

/**
 * A model's complete reply.
 *
 * @param message the assistant message: text and/or tool calls
 * @param finishReason why generation stopped
 * @param usage the tokens consumed
 * @param modelId the model that answered, as the backend names it; not blank
 */
public record ChatResponse(AssistantMessage message, FinishReason finishReason, TokenUsage usage, String modelId) {

  /** Validates the fields. */
  public ChatResponse {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(finishReason, "finishReason");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(modelId, "modelId");
    if (modelId.isBlank()) {
      throw new IllegalArgumentException("modelId must not be blank");
    }
  }

  /** Returns the reply's text. */
  public String text() {
    return message.text();
  }
}
