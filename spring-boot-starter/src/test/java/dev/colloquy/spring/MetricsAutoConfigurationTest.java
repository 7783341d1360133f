package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.observe.MicrometerChatListener;
import dev.colloquy.test.ScriptedChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class MetricsAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      Runners.colloquy().withBean(ChatModel.class, () -> ScriptedChatModel.alwaysReplying("hello"));

  @Test
  void theAgentsModelCallsAreTimedInTheMeterRegistry() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              assertThat(context).hasSingleBean(MicrometerChatListener.class);
              context.getBean(Agent.class).chat("c", "hi");
              assertThat(context.getBean(MeterRegistry.class).find("colloquy.model.calls").timer())
                  .isNotNull()
                  .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
            });
  }

  @Test
  void noMetersWithoutAMeterRegistryBean() {
    runner.run(context -> assertThat(context).doesNotHaveBean(MicrometerChatListener.class));
  }

  @Test
  void noMetersWithoutMicrometerOnTheClassPath() {
    runner
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerChatListener.class));
  }

  @Test
  void noMetersWhenTurnedOff() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("colloquy.metrics-enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(MicrometerChatListener.class));
  }
}
