package dev.colloquy.core.internal.trace;

import java.util.Map;

/**
 * Starts spans in a tracing system. The one implementation is on Micrometer's Observation API
 * ({@link ObservationSpans}); this interface keeps every other class free of Micrometer, which is
 * an optional dependency.
 */
public interface SpanFactory {

  /**
   * Starts a span. It is not current on any thread until {@link TraceSpan#makeCurrent()}.
   *
   * @param kind what the span stands for
   * @param observationName the observation's name (the name of the meters a meter handler makes)
   * @param spanName the span's name
   * @param lowCardinality attributes that are also meter tags: the same keys on every span of this
   *     observation name
   * @param parent the parent span, or {@code null} for the span current on this thread
   */
  TraceSpan start(
      SpanKind kind,
      String observationName,
      String spanName,
      Map<String, String> lowCardinality,
      TraceSpan parent);

  /** What the spans may contain. */
  TraceSettings settings();
}
