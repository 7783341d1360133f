package dev.colloquy.spring;

import dev.colloquy.core.observe.MicrometerChatListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters ({@code colloquy.model.calls}, {@code colloquy.model.tokens}, ... as listed on
 * {@link MicrometerChatListener}) when Micrometer is on the class path, a {@link MeterRegistry}
 * bean exists, and {@code colloquy.metrics-enabled} is not false.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "colloquy.metrics-enabled", matchIfMissing = true)
public class ColloquyMetricsAutoConfiguration {

  /** The listener that records the agents' model calls, tokens, errors, retries and tools. */
  @Bean
  @ConditionalOnBean(MeterRegistry.class)
  @ConditionalOnMissingBean
  MicrometerChatListener colloquyMicrometerChatListener(MeterRegistry registry) {
    return MicrometerChatListener.of(registry);
  }
}
