package dev.colloquy.core.internal.trace;

import dev.colloquy.core.observe.Tracing;
import java.util.function.Function;

/**
 * Gives core's own packages the span factory behind a public {@link Tracing}, which keeps it
 * private: {@code Tracing} hands its accessor over when its class initialises, which it has done
 * before anyone holds an instance.
 */
public final class TracingAccess {

  private static volatile Function<Tracing, SpanFactory> accessor;

  private TracingAccess() {}

  /** Called once, by {@link Tracing}'s static initialiser. */
  public static void accessor(Function<Tracing, SpanFactory> value) {
    if (accessor != null) {
      throw new IllegalStateException("the tracing accessor was already set");
    }
    accessor = value;
  }

  /** Returns the span factory of a tracing. */
  public static SpanFactory spans(Tracing tracing) {
    return accessor.apply(tracing);
  }
}
