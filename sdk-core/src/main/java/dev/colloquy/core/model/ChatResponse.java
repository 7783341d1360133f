package dev.colloquy.core.model;

import dev.colloquy.core.message.AssistantMessage;
import java.util.List;
import java.util.Objects;

/**
 * A model's complete reply.
 *
 * @param message the assistant message: text and/or tool calls
 * @param finishReason why generation stopped
 * @param usage the tokens consumed
 * @param modelId the model that answered, as the backend names it; not blank
 * @param warnings what the backend changed or noticed that the caller should know, in plain words
 *     (for example that it dropped the oldest turns to fit the context window); usually empty
 * @param logprobs each generated token of the reply with its log-probability and the most likely
 *     alternatives, in order, when the request asked for them ({@link ChatOptions#logprobs()}) and
 *     the backend reports them ({@link ModelCapabilities#logprobs()}); otherwise empty. They come
 *     with the complete response only, streamed calls included: a {@link StreamListener} receives
 *     text, not tokens
 */
public record ChatResponse(
    AssistantMessage message,
    FinishReason finishReason,
    TokenUsage usage,
    String modelId,
    List<String> warnings,
    List<TokenLogprob> logprobs) {

  /** Validates the fields and copies the warnings and the logprobs. */
  public ChatResponse {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(finishReason, "finishReason");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(modelId, "modelId");
    warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    logprobs = List.copyOf(Objects.requireNonNull(logprobs, "logprobs"));
    if (modelId.isBlank()) {
      throw new IllegalArgumentException("modelId must not be blank");
    }
  }

  /** Creates a response without logprobs. */
  public ChatResponse(
      AssistantMessage message,
      FinishReason finishReason,
      TokenUsage usage,
      String modelId,
      List<String> warnings) {
    this(message, finishReason, usage, modelId, warnings, List.of());
  }

  /** Creates a response without warnings and without logprobs. */
  public ChatResponse(
      AssistantMessage message, FinishReason finishReason, TokenUsage usage, String modelId) {
    this(message, finishReason, usage, modelId, List.of(), List.of());
  }

  /** Returns the reply's text. */
  public String text() {
    return message.text();
  }

  /**
   * Returns this response with another model id (a fallback decorator names the model that
   * answered).
   */
  public ChatResponse withModelId(String newModelId) {
    return new ChatResponse(message, finishReason, usage, newModelId, warnings, logprobs);
  }
}
