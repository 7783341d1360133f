package dev.colloquy.model.remote;

import java.time.Duration;

/**
 * Waits between retry attempts. The default waits on the wall clock and wakes early when the
 * call is cancelled; tests pass one that records the requested waits and returns at once, so
 * backoff takes no wall time.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for the given duration.
   *
   * @param duration how long to wait; zero or more
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(Duration duration) throws InterruptedException;
}
