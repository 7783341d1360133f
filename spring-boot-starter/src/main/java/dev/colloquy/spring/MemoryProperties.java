package dev.colloquy.spring;

import java.time.Duration;

/** {@code colloquy.memory.*}: the conversation memory of the property-built agent and its store. */
public class MemoryProperties {
  /** How many messages of each conversation are kept, at least 2. */
  private int window = 20;

  /** The most conversations the in-memory store keeps, at least 1. */
  private long maxConversations = 10_000;

  /** After how long without a turn the in-memory store forgets a conversation. */
  private Duration expireAfterIdle = Duration.ofHours(24);

  /** Returns the window. */
  public int getWindow() {
    return window;
  }

  /** Sets the window; at least 2. */
  public void setWindow(int window) {
    this.window =
        ColloquyProperties.between("colloquy.memory.window", window, 2, Integer.MAX_VALUE);
  }

  /** Returns the most conversations kept. */
  public long getMaxConversations() {
    return maxConversations;
  }

  /** Sets the most conversations kept; at least 1. */
  public void setMaxConversations(long maxConversations) {
    this.maxConversations =
        ColloquyProperties.atLeast("colloquy.memory.max-conversations", maxConversations, 1);
  }

  /** Returns the idle expiry. */
  public Duration getExpireAfterIdle() {
    return expireAfterIdle;
  }

  /** Sets the idle expiry; positive. */
  public void setExpireAfterIdle(Duration expireAfterIdle) {
    this.expireAfterIdle =
        ColloquyProperties.positive("colloquy.memory.expire-after-idle", expireAfterIdle);
  }
}
