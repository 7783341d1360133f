package dev.colloquy.core.model;

import dev.colloquy.core.message.ToolCall;

/**
 * Receives a reply while it is generated. Calls come one at a time and in order.
 *
 * <p>A listener that throws aborts the call: the exception propagates out of {@link
 * ChatModel#generate}.
 */
@FunctionalInterface
public interface StreamListener {

  /** A listener that ignores everything. */
  StreamListener NONE = text -> {};

  /**
   * Receives the next piece of reply text. Pieces never split a character (a surrogate pair arrives
   * whole).
   *
   * @param delta the next piece of text, not empty
   */
  void onText(String delta);

  /**
   * Receives a tool call once it is complete (its arguments fully received).
   *
   * @param call the tool call
   */
  default void onToolCall(ToolCall call) {}
}
