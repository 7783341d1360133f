package dev.colloquy.spring;

import dev.colloquy.model.local.LocalGptModel;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The local backend's health: UP once the model is loaded (it is loaded at startup), with its
 * runtime and context window; DOWN when asking for them fails (the model was closed). Thread-safe.
 */
final class LocalHealthIndicator extends AbstractHealthIndicator {
  private final LocalGptModel model;

  LocalHealthIndicator(LocalGptModel model) {
    super("Colloquy local backend health check failed");
    this.model = model;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder
        .up()
        .withDetail("runtime", model.runtimeDescription())
        .withDetail("contextWindow", model.capabilities().contextWindow());
  }
}
