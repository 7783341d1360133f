package dev.colloquy.model.local;

/** What to do when a prompt does not fit the model's context window. */
public enum ContextOverflow {
  /** Throw {@link ContextOverflowException} (the default). */
  FAIL,
  /**
   * Drop the oldest messages after the system messages, one at a time, until the prompt fits with
   * room for at least one reply token; the system messages and the last message are always kept (if
   * those alone do not fit, the call fails). The response's input token count is that of the
   * shortened prompt.
   */
  DROP_OLDEST_TURNS
}
