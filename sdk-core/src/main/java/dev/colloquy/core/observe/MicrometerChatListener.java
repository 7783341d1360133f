package dev.colloquy.core.observe;

import dev.colloquy.core.RetryableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;

/**
 * Turns {@link ChatEvent}s into Micrometer meters. Micrometer is an optional dependency of
 * Colloquy: this class needs {@code io.micrometer:micrometer-core} on the class path, nothing else
 * does.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code colloquy.model.calls}</td><td>timer</td><td>model, outcome (success, error)</td></tr>
 *   <tr><td>{@code colloquy.model.tokens}</td><td>counter</td><td>model, direction (input, output)</td></tr>
 *   <tr><td>{@code colloquy.model.errors}</td><td>counter</td><td>model, kind (exception class), retryable</td></tr>
 *   <tr><td>{@code colloquy.model.retries}</td><td>counter</td><td>model</td></tr>
 *   <tr><td>{@code colloquy.cache.lookups}</td><td>counter</td><td>model, result (hit, miss)</td></tr>
 *   <tr><td>{@code colloquy.tool.calls}</td><td>timer</td><td>tool, outcome (success, error)</td></tr>
 *   <tr><td>{@code colloquy.guard.decisions}</td><td>counter</td><td>guard, stage, outcome</td></tr>
 * </table>
 *
 * <p>Tags never carry conversation or tenant ids (unbounded cardinality). Trace context: events
 * arrive on the calling thread, so a tracing bridge that reads thread-bound context sees the
 * caller's span. Thread-safe.
 */
public final class MicrometerChatListener implements ChatListener {

  private final MeterRegistry registry;

  private MicrometerChatListener(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Returns a listener recording into a registry.
   *
   * @param registry the registry
   */
  @SuppressWarnings("exports") // Micrometer is optional (requires static): who calls this has it.
  public static MicrometerChatListener of(MeterRegistry registry) {
    return new MicrometerChatListener(Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public void onEvent(ChatEvent event) {
    if (event instanceof ChatEvent.RequestSent) {
      // Nothing to do until the call ends.
    } else if (event instanceof ChatEvent.ResponseReceived received) {
      Timer.builder("colloquy.model.calls")
          .tag("model", received.model())
          .tag("outcome", "success")
          .register(registry)
          .record(received.latency());
      tokens(received.model(), "input").increment(received.usage().inputTokens());
      tokens(received.model(), "output").increment(received.usage().outputTokens());
    } else if (event instanceof ChatEvent.CallFailed failed) {
      Timer.builder("colloquy.model.calls")
          .tag("model", failed.model())
          .tag("outcome", "error")
          .register(registry)
          .record(failed.latency());
      boolean retryable = failed.error() instanceof RetryableException;
      Counter.builder("colloquy.model.errors")
          .tag("model", failed.model())
          .tag("kind", failed.errorKind())
          .tag("retryable", Boolean.toString(retryable))
          .register(registry)
          .increment();
    } else if (event instanceof ChatEvent.RetryScheduled retry) {
      Counter.builder("colloquy.model.retries")
          .tag("model", retry.model())
          .register(registry)
          .increment();
    } else if (event instanceof ChatEvent.CacheLookup lookup) {
      Counter.builder("colloquy.cache.lookups")
          .tag("model", lookup.model())
          .tag("result", lookup.hit() ? "hit" : "miss")
          .register(registry)
          .increment();
    } else if (event instanceof ChatEvent.ToolCalled tool) {
      Timer.builder("colloquy.tool.calls")
          .tag("tool", tool.tool())
          .tag("outcome", tool.failed() ? "error" : "success")
          .register(registry)
          .record(tool.duration());
    } else if (event instanceof ChatEvent.GuardDecided guard) {
      Counter.builder("colloquy.guard.decisions")
          .tag("guard", guard.guard())
          .tag("stage", guard.stage().name().toLowerCase(java.util.Locale.ROOT))
          .tag("outcome", guard.outcome().name().toLowerCase(java.util.Locale.ROOT))
          .register(registry)
          .increment();
    }
  }

  private Counter tokens(String model, String direction) {
    return Counter.builder("colloquy.model.tokens")
        .tag("model", model)
        .tag("direction", direction)
        .baseUnit("tokens")
        .register(registry);
  }
}
