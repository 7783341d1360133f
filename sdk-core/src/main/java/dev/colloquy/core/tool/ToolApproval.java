package dev.colloquy.core.tool;

import dev.colloquy.core.message.ToolCall;

/** Decides whether a call of a tool marked as needing approval may run. */
@FunctionalInterface
public interface ToolApproval {

  /** Denies every call. */
  ToolApproval DENY_ALL = (call, context) -> false;

  /**
   * Asks whether a call may run. A denial is final for the turn: the same call is not asked about
   * again, and the model is told it was denied.
   *
   * @param call the call, with its arguments
   * @param context the call's context
   * @return whether the call may run
   */
  boolean approve(ToolCall call, ToolContext context);
}
