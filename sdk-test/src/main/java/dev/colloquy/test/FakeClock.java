package dev.colloquy.test;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.resilience.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to, and a {@link Sleeper} that moves it instead of waiting: a
 * scripted stream with one-second delays runs instantly, and the clock shows the seconds "spent".
 * Hand the same instance to the code under test as its {@link Clock}.
 *
 * <p>Thread-safe.
 */
public final class FakeClock extends Clock implements Sleeper {

  private final AtomicReference<Instant> now;
  private final AtomicReference<Duration> slept = new AtomicReference<>(Duration.ZERO);
  private final ZoneId zone;

  private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** Returns a clock at the given instant, in UTC. */
  public static FakeClock at(Instant start) {
    return new FakeClock(
        new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /** Returns a clock at 2025-01-01T00:00:00Z, in UTC. */
  public static FakeClock create() {
    return at(Instant.parse("2025-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock forward.
   *
   * @param duration how far; zero or more
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a clock cannot move back: " + duration);
    }
    now.updateAndGet(instant -> instant.plus(duration));
  }

  /**
   * Moves the clock forward by the duration instead of waiting, and counts it as slept; a cancelled
   * call stops first, as a real wait would.
   */
  @Override
  public void sleep(Duration duration, Cancellation cancellation) {
    cancellation.throwIfCancelled();
    advance(duration);
    slept.updateAndGet(total -> total.plus(duration));
  }

  /** Returns the total of every {@link #sleep} so far. */
  public Duration totalSlept() {
    return slept.get();
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** Returns a view of this clock in another zone; both move together. */
  @Override
  public Clock withZone(ZoneId newZone) {
    return new FakeClock(now, Objects.requireNonNull(newZone, "zone"));
  }
}
