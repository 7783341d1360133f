package dev.colloquy.spring;

import java.time.Duration;

/** {@code colloquy.cache.*}: the exact-match response cache in front of the agents' model. */
public class CacheProperties {
  /** Whether replies are cached; off by default, since most chat requests are sampled. */
  private boolean enabled;

  /** The most entries kept, 0 or more. */
  private long maximumSize = 10_000;

  /** How long an entry lives after it is written. */
  private Duration expireAfterWrite = Duration.ofHours(1);

  /**
   * Whether sampled (non-deterministic) requests are cached too; by default only temperature 0 or
   * seeded ones.
   */
  private boolean nonDeterministic;

  /** Returns whether the cache is on. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Turns the cache on or off. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Returns the most entries kept. */
  public long getMaximumSize() {
    return maximumSize;
  }

  /** Sets the most entries kept; 0 or more. */
  public void setMaximumSize(long maximumSize) {
    this.maximumSize = ColloquyProperties.atLeast("colloquy.cache.maximum-size", maximumSize, 0);
  }

  /** Returns the entries' lifetime. */
  public Duration getExpireAfterWrite() {
    return expireAfterWrite;
  }

  /** Sets the entries' lifetime; positive. */
  public void setExpireAfterWrite(Duration expireAfterWrite) {
    this.expireAfterWrite =
        ColloquyProperties.positive("colloquy.cache.expire-after-write", expireAfterWrite);
  }

  /** Returns whether sampled requests are cached. */
  public boolean isNonDeterministic() {
    return nonDeterministic;
  }

  /** Sets whether sampled requests are cached. */
  public void setNonDeterministic(boolean nonDeterministic) {
    this.nonDeterministic = nonDeterministic;
  }
}
