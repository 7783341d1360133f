package dev.colloquy.core.agent;

import dev.colloquy.core.NonRetryableException;

/**
 * A turn refused because its conversation or tenant has spent its budget and the policy says stop.
 */
public class BudgetExceededException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message which budget, its limit and what was spent
   */
  public BudgetExceededException(String message) {
    super(message);
  }
}
