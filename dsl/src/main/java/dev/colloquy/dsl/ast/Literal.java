package dev.colloquy.dsl.ast;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/** A value of an option or a budget: a number, a string or a duration. */
public sealed interface Literal {

  /**
   * A number as written, such as {@code 20}, {@code 0.2} or {@code -1}.
   *
   * @param value the number
   */
  record Number(BigDecimal value) implements Literal {
    /** Validates. */
    public Number {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A quoted string.
   *
   * @param value the string's content
   */
  record Text(String value) implements Literal {
    /** Validates. */
    public Text {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A duration written with a unit: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}.
   *
   * @param value the duration
   */
  record Time(Duration value) implements Literal {
    /** Validates. */
    public Time {
      Objects.requireNonNull(value, "value");
      if (value.getNano() % 1_000_000 != 0) {
        throw new IllegalArgumentException("a duration must be whole milliseconds, was " + value);
      }
    }
  }
}
