package dev.colloquy.core.tool;

import dev.colloquy.core.Cancellation;
import java.util.Objects;

/**
 * What a running tool may know about the call it serves.
 *
 * @param conversationId the conversation whose turn asked for the tool
 * @param callId the id of the tool call
 * @param cancellation cancelled when the caller cancels the turn or the tool's time runs out
 */
public record ToolContext(String conversationId, String callId, Cancellation cancellation) {

  /** Validates the fields. */
  public ToolContext {
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(cancellation, "cancellation");
  }
}
