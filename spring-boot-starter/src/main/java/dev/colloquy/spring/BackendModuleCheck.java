package dev.colloquy.spring;

import dev.colloquy.core.model.ChatModel;
import java.util.Locale;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Stops startup before any bean is created when {@code colloquy.backend} names a backend whose
 * module is missing and the application declares no {@link ChatModel}: without it the backend's
 * auto-configuration silently backs off, and the failure surfaces later as an unrelated "unknown
 * model `default`" in the agent files.
 */
final class BackendModuleCheck implements BeanFactoryPostProcessor, EnvironmentAware {
  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    String backend =
        environment.getProperty("colloquy.backend", "").strip().toLowerCase(Locale.ROOT);
    String[] required =
        switch (backend) {
          case "local" ->
              new String[] {
                "dev.colloquy.model.local.LocalGptModel", "dev.colloquy:colloquy-model-local"
              };
          case "remote" ->
              new String[] {
                "dev.colloquy.model.remote.OpenAiChatModel", "dev.colloquy:colloquy-model-remote"
              };
          default -> null;
        };
    if (required == null || ClassUtils.isPresent(required[0], beanFactory.getBeanClassLoader())) {
      return;
    }
    if (beanFactory.getBeanNamesForType(ChatModel.class, true, false).length == 0) {
      throw new MissingBackendModuleException(backend, required[1]);
    }
  }
}
