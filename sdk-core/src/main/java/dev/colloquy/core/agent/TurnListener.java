package dev.colloquy.core.agent;

import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.tool.ToolExecution;

/**
 * A {@link StreamListener} that also hears about the tools a turn runs. Pass one to {@link
 * Agent#stream} or {@link Turn#withListener} to see each tool call with its arguments, result and
 * duration while the reply streams.
 */
public interface TurnListener extends StreamListener {

  /**
   * Receives the outcome of one tool call, after it ran (or was refused) and before the model is
   * called again.
   *
   * @param execution the call, its result and duration
   */
  default void onToolExecution(ToolExecution execution) {}
}
