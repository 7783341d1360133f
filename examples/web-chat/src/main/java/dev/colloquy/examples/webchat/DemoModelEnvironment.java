package dev.colloquy.examples.webchat;

import dev.colloquy.demo.ShopModel;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Offers the embedded demo model's folder as the property {@value #PROPERTY}, the last fallback of
 * {@code colloquy.local.model-path} in {@code application.properties}. The folder is unpacked from
 * the class path only when the property is read, so a run with {@code COLLOQUY_MODEL_DIR} or {@code
 * colloquy.local.model-path} set never unpacks it.
 */
public final class DemoModelEnvironment implements EnvironmentPostProcessor {

  /** The property that names the unpacked demo model's folder. */
  public static final String PROPERTY = "web-chat.demo-model-path";

  /** Makes the post-processor; Spring Boot calls it through {@code META-INF/spring.factories}. */
  public DemoModelEnvironment() {}

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().addLast(new DemoModelPropertySource());
  }

  private static final class DemoModelPropertySource extends PropertySource<Object> {
    DemoModelPropertySource() {
      super("colloquyEmbeddedDemoModel", new Object());
    }

    @Override
    public Object getProperty(String name) {
      return PROPERTY.equals(name) ? ShopModel.directory().toString() : null;
    }
  }
}
