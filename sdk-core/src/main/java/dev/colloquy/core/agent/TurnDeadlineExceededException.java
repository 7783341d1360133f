package dev.colloquy.core.agent;

import dev.colloquy.core.RetryableException;

/** A turn ran past the agent's turn deadline and was stopped. Nothing is committed. */
public class TurnDeadlineExceededException extends RetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message the deadline and what was running
   */
  public TurnDeadlineExceededException(String message) {
    super(message);
  }
}
