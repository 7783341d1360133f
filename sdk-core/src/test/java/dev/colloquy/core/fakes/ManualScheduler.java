package dev.colloquy.core.fakes;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.resilience.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A scheduler whose tasks run when a test moves time past them with {@link #advance}. */
public final class ManualScheduler implements Scheduler {

  private record Task(Instant due, Runnable action) {}

  private final MutableClock clock;
  private final List<Task> tasks = new ArrayList<>();

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellation.Registration schedule(Duration delay, Runnable task) {
    Task t = new Task(clock.instant().plus(delay), task);
    tasks.add(t);
    return () -> {
      synchronized (this) {
        tasks.remove(t);
      }
    };
  }

  public void advance(Duration duration) {
    clock.advance(duration);
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      for (Task t : tasks) {
        if (!t.due().isAfter(clock.instant())) {
          due.add(t);
        }
      }
      tasks.removeAll(due);
    }
    due.forEach(t -> t.action().run());
  }

  public synchronized int pending() {
    return tasks.size();
  }
}
