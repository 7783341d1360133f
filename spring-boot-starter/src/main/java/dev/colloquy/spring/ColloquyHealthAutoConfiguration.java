package dev.colloquy.spring;

import dev.colloquy.model.local.LocalGptModel;
import dev.colloquy.model.remote.OpenAiChatModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Actuator health indicator per configured backend, when {@code spring-boot-health} (brought by
 * {@code spring-boot-starter-actuator}) is on the class path: {@code colloquyRemote} and {@code
 * colloquyLocal} under {@code /actuator/health}. Each backs off when the application declares a
 * bean of the same name.
 */
@AutoConfiguration(
    after = {RemoteBackendAutoConfiguration.class, LocalBackendAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
public class ColloquyHealthAutoConfiguration {

  /** The remote backend's indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(OpenAiChatModel.class)
  static class Remote {
    /**
     * Reports the server UP when {@code GET {base-url}/models} answers 2xx within {@code
     * colloquy.remote.health-timeout}.
     */
    @Bean
    @ConditionalOnBean(OpenAiChatModel.class)
    @ConditionalOnMissingBean(name = "colloquyRemoteHealthIndicator")
    RemoteHealthIndicator colloquyRemoteHealthIndicator(ColloquyProperties properties) {
      return new RemoteHealthIndicator(properties.getRemote());
    }
  }

  /** The local backend's indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(LocalGptModel.class)
  static class Local {
    /** Reports the loaded model UP with its runtime and context window. */
    @Bean
    @ConditionalOnBean(LocalGptModel.class)
    @ConditionalOnMissingBean(name = "colloquyLocalHealthIndicator")
    LocalHealthIndicator colloquyLocalHealthIndicator(LocalGptModel model) {
      return new LocalHealthIndicator(model);
    }
  }
}
