package dev.colloquy.model.remote;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.resilience.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Sleeper} that records each requested wait and returns at once. */
final class RecordingSleeper implements Sleeper {

  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  @Override
  public void sleep(Duration duration, Cancellation cancellation) {
    cancellation.throwIfCancelled();
    waits.add(duration);
  }

  List<Duration> waits() {
    return waits;
  }
}
