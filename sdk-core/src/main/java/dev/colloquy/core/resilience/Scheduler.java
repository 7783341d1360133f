package dev.colloquy.core.resilience;

import dev.colloquy.core.Cancellation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: the time limit's alarm. Injected so that tests fire it by moving a
 * fake clock; {@link #system()} is the real one.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Schedules a task.
   *
   * @param delay how long to wait before running it; positive
   * @param task what to run; quick and non-blocking
   * @return a registration whose {@code close()} cancels the task if it has not run
   */
  Cancellation.Registration schedule(Duration delay, Runnable task);

  /**
   * Returns a scheduler on the JDK's shared delay thread (the one behind {@link
   * CompletableFuture#completeOnTimeout}); a cancelled task is removed at once, so millions of
   * completed calls leave nothing behind.
   */
  static Scheduler system() {
    return (delay, task) -> {
      CompletableFuture<Boolean> alarm = new CompletableFuture<>();
      alarm.thenAccept(
          fired -> {
            if (fired) {
              task.run();
            }
          });
      alarm.completeOnTimeout(Boolean.TRUE, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> alarm.complete(Boolean.FALSE);
    };
  }
}
