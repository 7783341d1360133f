package dev.colloquy.core.fakes;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.resilience.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sleeper that records each wait and moves a clock instead of waiting. */
public final class RecordingSleeper implements Sleeper {

  private final MutableClock clock;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  public RecordingSleeper(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration, Cancellation cancellation) {
    cancellation.throwIfCancelled();
    waits.add(duration);
    clock.advance(duration);
  }

  public List<Duration> waits() {
    return List.copyOf(waits);
  }
}
