package dev.colloquy.dsl.internal.syntax;

import java.time.Duration;

/**
 * The ranges of the numbers and durations a definition may set. Each is checked at load, where the
 * value is written, so that nothing beyond them reaches the core (where a 300-year timeout
 * overflowed on every turn). They are far beyond any sensible setting, not tuning advice.
 */
public final class ValueRanges {
  /** The longest {@code tool_timeout} and {@code deadline}: one day. */
  public static final Duration LONGEST = Duration.ofHours(24);

  /** How {@link #LONGEST} is written in messages. */
  public static final String LONGEST_TEXT = "24h";

  /** The smallest memory window: a question and its answer. */
  public static final int MIN_WINDOW = 2;

  /** The largest memory window, in messages. */
  public static final int MAX_WINDOW = 10_000;

  /** The smallest memory token budget. */
  public static final int MIN_TOKENS = 16;

  /** The largest memory token budget: beyond any model's context. */
  public static final int MAX_TOKENS = 10_000_000;

  /** The most model round trips ({@code rounds}) and tool calls ({@code tool_calls}) per turn. */
  public static final int MAX_PER_TURN = 1_000;

  /** The most iterations of a {@code repeat} loop. */
  public static final int MAX_ITERATIONS = 1_000;

  private ValueRanges() {}
}
