package dev.colloquy.core.agent;

import dev.colloquy.core.NonRetryableException;

/**
 * A turn stopped because the model kept asking for tools past the agent's round-trip budget.
 * Nothing is committed.
 */
public class TurnBudgetExceededException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message which budget ran out and what the model was doing
   */
  public TurnBudgetExceededException(String message) {
    super(message);
  }
}
