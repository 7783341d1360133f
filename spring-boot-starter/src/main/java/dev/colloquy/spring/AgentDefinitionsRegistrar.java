package dev.colloquy.spring;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.tool.Toolbox;
import dev.colloquy.dsl.Bindings;
import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.Dsl;
import dev.colloquy.dsl.Source;
import dev.colloquy.dsl.ast.Declaration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Registers one {@link Agent} bean per agent declared in the definition files, named after the
 * agent, and the {@link Definitions} bean ({@value #DEFINITIONS_BEAN}) they come from.
 *
 * <p>Syntax errors stop startup here, before any bean is created; errors that need the
 * application's beans (an unknown model or tool) stop it when the definitions are compiled, as
 * the first agent bean is created. Either way the exception is the DSL's {@code DslException},
 * whose message gives file, line and column. A bean that already has an agent's name takes the
 * agent's place.
 */
final class AgentDefinitionsRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware,
    ResourceLoaderAware {

  /** The name of the {@link Definitions} bean. */
  static final String DEFINITIONS_BEAN = "colloquyDefinitions";
  /** The name under which the agents' model is bound in definition files. */
  static final String DEFAULT_MODEL = "default";

  private Environment environment;
  private ResourceLoader resourceLoader;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
    List<Source> sources = AgentFiles.read(resourceLoader, AgentFiles.location(environment));
    if (sources.isEmpty() || registry.containsBeanDefinition(DEFINITIONS_BEAN)) {
      return;
    }
    Set<String> agents = new LinkedHashSet<>();
    for (Source source : sources) {
      for (Declaration declaration : Dsl.parse(source.name(), source.text()).declarations()) {
        if (declaration instanceof Declaration.Agent agent) {
          agents.add(agent.name());
        }
      }
    }
    ConfigurableListableBeanFactory beanFactory = (ConfigurableListableBeanFactory) registry;
    registry.registerBeanDefinition(DEFINITIONS_BEAN,
        new RootBeanDefinition(Definitions.class, () -> compile(sources, beanFactory)));
    for (String name : agents) {
      if (!registry.containsBeanDefinition(name)) {
        RootBeanDefinition agent = new RootBeanDefinition(Agent.class,
            () -> beanFactory.getBean(DEFINITIONS_BEAN, Definitions.class).agent(name));
        agent.setDependsOn(DEFINITIONS_BEAN);
        registry.registerBeanDefinition(name, agent);
      }
    }
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    // Everything happens at registration.
  }

  /**
   * Compiles the files with the application's bindings: every ChatModel bean under its bean name
   * (the agents' model also as {@value #DEFAULT_MODEL}), each decorated once; the tools of the
   * Toolbox bean; then the customizers.
   */
  static Definitions compile(List<Source> sources, ConfigurableListableBeanFactory beanFactory) {
    Bindings.Builder bindings = Bindings.builder();
    ChatModelDecorator decorator = beanFactory.getBeanProvider(ChatModelDecorator.class)
        .getIfAvailable(() -> ChatModelDecorator.NONE);
    Map<String, ChatModel> models = beanFactory.getBeansOfType(ChatModel.class);
    ChatModel agentsModel = models.isEmpty() ? null : beanFactory.getBeanProvider(ChatModel.class).getIfUnique();
    models.forEach((name, model) -> {
      ChatModel decorated = decorator.decorate(name, model);
      if (!name.equals(DEFAULT_MODEL)) {
        bindings.model(name, decorated);
      }
      if (model == agentsModel) {
        bindings.model(DEFAULT_MODEL, decorated);
      }
    });
    Toolbox toolbox = beanFactory.getBeanProvider(Toolbox.class).getIfUnique();
    if (toolbox != null) {
      toolbox.specifications().forEach(spec -> toolbox.tool(spec.name()).ifPresent(bindings::tool));
    }
    beanFactory.getBeanProvider(ColloquyBindingsCustomizer.class).orderedStream()
        .forEach(customizer -> customizer.customize(bindings));
    MemoryStore store = beanFactory.getBeanProvider(MemoryStore.class).getIfUnique();
    return store == null
        ? Definitions.compile(sources, bindings.build())
        : Definitions.compile(sources, bindings.build(), store);
  }
}
