package dev.colloquy.test;

import dev.colloquy.core.CancelledException;
import java.time.Duration;

/**
 * Waits for a while: how scripted models and replays pause between stream chunks or before a
 * timeout. Inject a {@link FakeClock} so that tests with delays take no wall-clock time.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for the given duration.
   *
   * @param duration how long to wait; zero or more
   * @throws CancelledException when the waiting thread is interrupted (its interrupt flag is set
   *     again)
   */
  void sleep(Duration duration);

  /** Returns the sleeper that really waits, with {@link Thread#sleep}. */
  static Sleeper system() {
    return duration -> {
      try {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancelledException("interrupted while waiting " + duration);
      }
    };
  }
}
