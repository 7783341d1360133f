package dev.colloquy.core.resilience;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits: between retries and for a rate limiter's permit. Injected so that tests wait for no wall
 * time; {@link #system()} is the real one.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for the duration, or until the cancellation fires.
   *
   * @param duration how long to wait; zero or more
   * @param cancellation stops the wait
   * @throws CancelledException when cancelled or interrupted while waiting (the interrupt flag is
   *     restored)
   */
  void sleep(Duration duration, Cancellation cancellation);

  /** Returns the sleeper that really waits, waking early when the cancellation fires. */
  static Sleeper system() {
    return (duration, cancellation) -> {
      cancellation.throwIfCancelled();
      CountDownLatch woken = new CountDownLatch(1);
      try (Cancellation.Registration ignored = cancellation.onCancel(woken::countDown)) {
        woken.await(duration.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancelledException(
            "interrupted while waiting " + duration + " before the next model call");
      }
      cancellation.throwIfCancelled();
    };
  }
}
