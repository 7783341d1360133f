package dev.colloquy.spring;

import dev.colloquy.core.observe.Tracing;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A {@link Tracing} over the application's {@link ObservationRegistry}, when Micrometer's
 * Observation API is on the class path, such a bean exists (Spring Boot makes one with its
 * actuator), and {@code colloquy.tracing.enabled} is not false. The agents built from properties
 * and from definition files use it; with a tracing bridge on the class path (OpenTelemetry or
 * Brave) their spans are exported with the application's.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "colloquy.tracing.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ColloquyProperties.class)
public class ColloquyTracingAutoConfiguration {

  /** The tracing of the agents' turns, model calls and tool calls. */
  @Bean
  @ConditionalOnBean(ObservationRegistry.class)
  @ConditionalOnMissingBean
  Tracing colloquyTracing(ObservationRegistry registry, ColloquyProperties properties) {
    return Tracing.builder(registry)
        .captureContent(properties.getTracing().isCaptureContent())
        .build();
  }
}
