package dev.colloquy.core.internal.trace;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Spans as Micrometer observations: a tracing handler (Spring Boot's, or micrometer-tracing's
 * {@code DefaultTracingObservationHandler} in plain Java) turns each into a span, a meter handler
 * into a timer. Model calls use a {@link SenderContext} of kind {@link Kind#CLIENT}, so that a
 * propagating sender handler gives their spans the CLIENT kind the conventions ask for; nothing is
 * propagated anywhere (the carrier is empty). Only this class and its span touch Micrometer.
 */
public final class ObservationSpans implements SpanFactory {

  private final ObservationRegistry registry;
  private final TraceSettings settings;

  /**
   * @param registry where observations go
   * @param settings what spans may contain
   */
  public ObservationSpans(ObservationRegistry registry, TraceSettings settings) {
    this.registry = registry;
    this.settings = settings;
  }

  @Override
  public TraceSpan start(
      SpanKind kind,
      String observationName,
      String spanName,
      Map<String, String> lowCardinality,
      TraceSpan parent) {
    Observation observation =
        Observation.createNotStarted(observationName, () -> context(kind), registry)
            .contextualName(spanName);
    lowCardinality.forEach(observation::lowCardinalityKeyValue);
    if (parent instanceof ObservedSpan observed) {
      observation.parentObservation(observed.observation);
    }
    observation.start();
    ObservedSpan span =
        new ObservedSpan(kind, parent != null ? parent : TraceSpan.current(), this, observation);
    span.inherit();
    return span;
  }

  @Override
  public TraceSettings settings() {
    return settings;
  }

  private static Observation.Context context(SpanKind kind) {
    if (kind == SpanKind.CHAT) {
      return new SenderContext<Object>((carrier, key, value) -> {}, Kind.CLIENT);
    }
    return new Observation.Context();
  }

  @Override
  public String toString() {
    return "ObservationSpans[" + registry + ", content " + settings.captureContent() + "]";
  }

  private static final class ObservedSpan extends TraceSpan {
    private final Observation observation;
    private final AtomicBoolean ended = new AtomicBoolean();

    ObservedSpan(SpanKind kind, TraceSpan parent, SpanFactory factory, Observation observation) {
      super(kind, parent, factory);
      this.observation = observation;
    }

    @Override
    public void tag(String key, String value) {
      observation.highCardinalityKeyValue(key, value);
    }

    @Override
    public void rename(String spanName) {
      observation.contextualName(spanName);
    }

    @Override
    public void fail(Throwable error) {
      if (ended.get()) {
        return;
      }
      observation.error(error);
      observation.highCardinalityKeyValue(GenAi.ERROR_TYPE, error.getClass().getName());
    }

    @Override
    public void end() {
      if (ended.compareAndSet(false, true)) {
        observation.stop();
      }
    }

    @Override
    protected AutoCloseable openScope() {
      return observation.openScope();
    }
  }
}
