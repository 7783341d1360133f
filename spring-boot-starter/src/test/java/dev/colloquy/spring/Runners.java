package dev.colloquy.spring;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The context runner of the starter's tests and what they read from failures. */
final class Runners {
  private Runners() {}

  /** A runner with all of Colloquy's auto-configurations and no agent definition files. */
  static ApplicationContextRunner colloquy() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                RemoteBackendAutoConfiguration.class,
                LocalBackendAutoConfiguration.class,
                ColloquyMetricsAutoConfiguration.class,
                ColloquyTracingAutoConfiguration.class,
                ColloquyHealthAutoConfiguration.class,
                ColloquyMemoryStoreAutoConfiguration.class,
                McpAutoConfiguration.class,
                ColloquyAutoConfiguration.class))
        .withPropertyValues("colloquy.agents.location=classpath:agents-test/none/");
  }

  /** Returns the messages of a failure and all its causes, one per line. */
  static String messages(Throwable failure) {
    List<String> lines = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      lines.add(t.getClass().getSimpleName() + ": " + t.getMessage());
    }
    return String.join("\n", lines);
  }
}
