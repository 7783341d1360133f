package dev.colloquy.core.model;

/** Why the model stopped generating. */
public enum FinishReason {
  /** The model finished its reply, or hit a stop sequence. */
  STOP,
  /** The reply reached the maximum number of tokens. */
  LENGTH,
  /** The model asked for tool calls. */
  TOOL_CALLS,
  /** The backend withheld or cut the reply for its content. */
  CONTENT_FILTER,
  /** Any other reason the backend gave. */
  OTHER
}
