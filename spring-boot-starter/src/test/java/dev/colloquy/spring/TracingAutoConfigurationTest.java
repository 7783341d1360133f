package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.observe.Tracing;
import dev.colloquy.test.ScriptedChatModel;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With Spring Boot's tracing on OpenTelemetry, the starter's agents produce spans. */
class TracingAutoConfigurationTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

  private final ApplicationContextRunner runner =
      Runners.colloquy()
          .withConfiguration(
              AutoConfigurations.of(
                  ObservationAutoConfiguration.class,
                  MicrometerTracingAutoConfiguration.class,
                  OpenTelemetrySdkAutoConfiguration.class,
                  OpenTelemetryTracingAutoConfiguration.class))
          .withBean(InMemorySpanExporter.class, () -> exporter)
          .withBean(ChatModel.class, () -> ScriptedChatModel.alwaysReplying("hello"))
          .withPropertyValues("management.tracing.sampling.probability=1.0");

  @Test
  void theAgentsTurnsAndModelCallsAreExportedAsSpans() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(Tracing.class);
          context.getBean(Agent.class).chat("c1", "hi");
          context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
          List<SpanData> spans = exporter.getFinishedSpanItems();
          assertThat(spans).extracting(SpanData::getName).contains("invoke_agent", "chat");
          SpanData turn = named(spans, "invoke_agent");
          SpanData chat = named(spans, "chat");
          assertThat(chat.getParentSpanId()).isEqualTo(turn.getSpanId());
          assertThat(chat.getAttributes().asMap().toString())
              .contains("gen_ai.operation.name=chat")
              .doesNotContain("gen_ai.input.messages");
        });
  }

  @Test
  void contentIsCapturedOnlyWhenAskedFor() {
    runner
        .withPropertyValues("colloquy.tracing.capture-content=true")
        .run(context -> assertThat(context.getBean(Tracing.class).capturesContent()).isTrue());
    runner.run(context -> assertThat(context.getBean(Tracing.class).capturesContent()).isFalse());
  }

  @Test
  void noTracingWhenTurnedOff() {
    runner
        .withPropertyValues("colloquy.tracing.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Tracing.class));
  }

  @Test
  void noTracingWithoutAnObservationRegistryOrTheObservationApi() {
    Runners.colloquy()
        .withBean(ChatModel.class, () -> ScriptedChatModel.alwaysReplying("hello"))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Tracing.class));
    Runners.colloquy()
        .withBean(ChatModel.class, () -> ScriptedChatModel.alwaysReplying("hello"))
        .withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(Tracing.class);
              assertThat(context.getBean(Agent.class).chat("c1", "hi")).isEqualTo("hello");
            });
  }

  private static SpanData named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }
}
