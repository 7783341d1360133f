package dev.colloquy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.observe.Tracing;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The plain-Java tracing setup of docs/production.md with OpenTelemetry's in-memory exporter: an
 * SDK, Micrometer's OpenTelemetry bridge, and an observation registry whose tracing handlers turn
 * Colloquy's observations into spans. Counts started and ended spans, so a test can prove that none
 * was left open.
 */
final class SpanRecorder {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger ended = new AtomicInteger();
  private final ObservationRegistry registry = ObservationRegistry.create();

  SpanRecorder() {
    SpanProcessor counting =
        new SpanProcessor() {
          @Override
          public void onStart(Context parentContext, ReadWriteSpan span) {
            started.incrementAndGet();
          }

          @Override
          public boolean isStartRequired() {
            return true;
          }

          @Override
          public void onEnd(ReadableSpan span) {
            ended.incrementAndGet();
          }

          @Override
          public boolean isEndRequired() {
            return true;
          }
        };
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(counting)
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    ContextPropagators propagators =
        ContextPropagators.create(W3CTraceContextPropagator.getInstance());
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder().setTracerProvider(provider).setPropagators(propagators).build();
    io.opentelemetry.api.trace.Tracer otel = sdk.getTracer("colloquy-test");
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(
            otel, current, event -> {}, new OtelBaggageManager(current, List.of(), List.of()));
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(
                    tracer, new OtelPropagator(propagators, otel)),
                new DefaultTracingObservationHandler(tracer)));
  }

  ObservationRegistry registry() {
    return registry;
  }

  Tracing tracing() {
    return Tracing.of(registry);
  }

  List<SpanData> spans() {
    return exporter.getFinishedSpanItems();
  }

  /** Returns the one finished span of this name. */
  SpanData span(String name) {
    List<SpanData> named = spans().stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named '%s' in %s", name, tree()).hasSize(1);
    return named.get(0);
  }

  /** Returns the finished spans of this name, in the order they started. */
  List<SpanData> spans(String name) {
    return spans().stream()
        .filter(s -> s.getName().equals(name))
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .toList();
  }

  static String attribute(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  static Map<String, String> attributes(SpanData span) {
    return span.getAttributes().asMap().entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().getKey(), e -> String.valueOf(e.getValue())));
  }

  /**
   * Returns the finished spans as an indented tree, children in the order they started, each line
   * the span's name and " !" when its status is an error.
   */
  String tree() {
    return tree(
        span ->
            span.getName() + (span.getStatus().getStatusCode() == StatusCode.ERROR ? " !" : ""));
  }

  String tree(Function<SpanData, String> label) {
    List<SpanData> all = new ArrayList<>(spans());
    all.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    StringBuilder out = new StringBuilder();
    for (SpanData root : all) {
      boolean hasParent =
          all.stream().anyMatch(other -> other.getSpanId().equals(root.getParentSpanId()));
      if (!hasParent) {
        append(out, root, all, 0, label);
      }
    }
    return out.toString();
  }

  private static void append(
      StringBuilder out,
      SpanData span,
      List<SpanData> all,
      int depth,
      Function<SpanData, String> label) {
    out.append("  ".repeat(depth)).append(label.apply(span)).append('\n');
    for (SpanData child : all) {
      if (child.getParentSpanId().equals(span.getSpanId())) {
        append(out, child, all, depth + 1, label);
      }
    }
  }

  /** Asserts that every started span ended and that no observation is left current here. */
  void assertNothingLeftOpen() {
    assertThat(ended.get()).as("ended spans of %d started", started.get()).isEqualTo(started.get());
    assertThat(registry.getCurrentObservation()).as("current observation").isNull();
  }
}
