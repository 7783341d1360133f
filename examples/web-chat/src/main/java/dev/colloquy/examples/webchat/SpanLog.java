package dev.colloquy.examples.webchat;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for a trace collector: Spring Boot's OpenTelemetry exporter hands it the spans,
 * and when the root span of a trace ends (the HTTP request of a chat turn) it logs the whole trace
 * as a tree on the logger {@code dev.colloquy.examples.webchat.traces}, each span with its duration
 * and GenAI attributes. It keeps the last {@value #KEPT_TRACES} traces for {@link #traces()}.
 *
 * <p>A real deployment exports to a collector instead (docs/production.md). Thread-safe.
 */
public final class SpanLog implements SpanExporter {

  static final int KEPT_TRACES = 100;

  private static final Logger LOG = LoggerFactory.getLogger("dev.colloquy.examples.webchat.traces");

  // Spans of traces whose root has not ended yet, by trace id; then the finished traces.
  private final Map<String, List<SpanData>> open = new LinkedHashMap<>();
  private final Map<String, List<SpanData>> finished = new LinkedHashMap<>();

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    for (SpanData span : spans) {
      List<SpanData> trace = open.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>());
      trace.add(span);
      if (!span.getParentSpanContext().isValid()) {
        open.remove(span.getTraceId());
        finished.put(span.getTraceId(), List.copyOf(trace));
        if (finished.size() > KEPT_TRACES) {
          finished.remove(finished.keySet().iterator().next());
        }
        LOG.info("trace {}:\n{}", span.getTraceId(), tree(trace));
      }
    }
    while (open.size() > KEPT_TRACES) {
      open.remove(open.keySet().iterator().next());
    }
    return CompletableResultCode.ofSuccess();
  }

  /** Returns the finished traces kept, oldest first, each as its spans. */
  public synchronized List<List<SpanData>> traces() {
    return List.copyOf(finished.values());
  }

  /**
   * Returns a trace as an indented tree: each span's name, its duration and its {@code gen_ai.*}
   * and {@code error.type} attributes, children in the order they started.
   */
  public static String tree(List<SpanData> trace) {
    List<SpanData> sorted = new ArrayList<>(trace);
    sorted.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    StringBuilder out = new StringBuilder();
    for (SpanData span : sorted) {
      boolean parentKept =
          sorted.stream().anyMatch(other -> other.getSpanId().equals(span.getParentSpanId()));
      if (!parentKept) {
        append(out, span, sorted, 0);
      }
    }
    return out.toString();
  }

  private static void append(StringBuilder out, SpanData span, List<SpanData> all, int depth) {
    long millis =
        TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos() - span.getStartEpochNanos());
    String attributes =
        span.getAttributes().asMap().entrySet().stream()
            .filter(
                e ->
                    e.getKey().getKey().startsWith("gen_ai.")
                        || e.getKey().getKey().equals("error.type"))
            .map(e -> e.getKey().getKey() + "=" + e.getValue())
            .sorted()
            .collect(Collectors.joining(" "));
    out.append("  ".repeat(depth))
        .append(span.getName())
        .append(" (")
        .append(millis)
        .append(" ms")
        .append(span.getStatus().getStatusCode() == StatusCode.ERROR ? ", error" : "")
        .append(")")
        .append(attributes.isEmpty() ? "" : " " + attributes)
        .append('\n');
    for (SpanData child : all) {
      if (child.getParentSpanId().equals(span.getSpanId())) {
        append(out, child, all, depth + 1);
      }
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
