package dev.colloquy.spring;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.observe.Tracing;
import dev.colloquy.core.tool.Toolbox;
import dev.colloquy.dsl.AgentLoader;
import dev.colloquy.dsl.Bindings;
import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.Dsl;
import dev.colloquy.dsl.DslException;
import dev.colloquy.dsl.McpConnector;
import dev.colloquy.dsl.Source;
import dev.colloquy.dsl.ast.Declaration;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
 * agent, the {@link Definitions} bean ({@value #DEFINITIONS_BEAN}) they come from, and the {@link
 * AgentRegistry} bean ({@value #REGISTRY_BEAN}).
 *
 * <p>Syntax errors stop startup here, before any bean is created; errors that need the
 * application's beans (an unknown model or tool) stop it when the definitions are compiled, as the
 * first agent bean is created. Either way the exception is the DSL's {@code DslException}, whose
 * message gives file, line and column. A bean that already has an agent's name takes the agent's
 * place.
 *
 * <p>With {@code colloquy.agents.watch=true} it registers instead an {@link AgentLoader} bean
 * ({@value #LOADER_BEAN}) watching the folder, and the registry over it: no agent beans, which
 * could not follow a reload. Any error of the first load stops startup; later errors are logged and
 * the last good definitions stay.
 *
 * <p>Either way the agents keep their conversations in the application's {@link MemoryStore} bean
 * when there is exactly one, looked up when the definitions are first compiled, not at
 * registration, when no bean exists yet.
 */
final class AgentDefinitionsRegistrar
    implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, ResourceLoaderAware {

  /** The name of the {@link Definitions} bean. */
  static final String DEFINITIONS_BEAN = "colloquyDefinitions";

  /** The name of the {@link AgentRegistry} bean. */
  static final String REGISTRY_BEAN = "colloquyAgents";

  /** The name of the {@link AgentLoader} bean, registered when watching. */
  static final String LOADER_BEAN = "colloquyAgentLoader";

  /** The name under which the agents' model is bound in definition files. */
  static final String DEFAULT_MODEL = "default";

  private static final Log LOG = LogFactory.getLog(AgentDefinitionsRegistrar.class);

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
    ConfigurableListableBeanFactory beanFactory = (ConfigurableListableBeanFactory) registry;
    String location = AgentFiles.location(environment);
    if (AgentFiles.watch(environment)) {
      registerWatched(registry, beanFactory, AgentFiles.watchedFolder(resourceLoader, location));
      return;
    }
    List<Source> sources = AgentFiles.read(resourceLoader, location);
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
    registry.registerBeanDefinition(
        DEFINITIONS_BEAN,
        new RootBeanDefinition(Definitions.class, () -> compile(sources, beanFactory)));
    for (String name : agents) {
      if (!registry.containsBeanDefinition(name)) {
        RootBeanDefinition agent =
            new RootBeanDefinition(
                Agent.class,
                () -> beanFactory.getBean(DEFINITIONS_BEAN, Definitions.class).agent(name));
        agent.setDependsOn(DEFINITIONS_BEAN);
        registry.registerBeanDefinition(name, agent);
      }
    }
    registerRegistry(
        registry,
        DEFINITIONS_BEAN,
        () -> {
          Definitions definitions = beanFactory.getBean(DEFINITIONS_BEAN, Definitions.class);
          return new AgentRegistry(() -> definitions);
        });
  }

  // Agent is a final class, so a bean of it cannot follow reloads: only the registry is registered.
  private static void registerWatched(
      BeanDefinitionRegistry registry, ConfigurableListableBeanFactory beanFactory, Path folder) {
    if (registry.containsBeanDefinition(LOADER_BEAN)) {
      return;
    }
    // An AutoCloseable bean is closed with the context, which stops the watcher thread.
    registry.registerBeanDefinition(
        LOADER_BEAN, new RootBeanDefinition(AgentLoader.class, () -> watch(folder, beanFactory)));
    registerRegistry(
        registry,
        LOADER_BEAN,
        () -> new AgentRegistry(beanFactory.getBean(LOADER_BEAN, AgentLoader.class)::definitions));
  }

  private static void registerRegistry(
      BeanDefinitionRegistry registry, String source, Supplier<AgentRegistry> supplier) {
    if (!registry.containsBeanDefinition(REGISTRY_BEAN)) {
      RootBeanDefinition agents = new RootBeanDefinition(AgentRegistry.class, supplier);
      agents.setDependsOn(source);
      registry.registerBeanDefinition(REGISTRY_BEAN, agents);
    }
  }

  /**
   * Loads the folder and watches it, keeping conversations in the MemoryStore bean; a bad edit is
   * logged and the last good definitions stay.
   */
  private static AgentLoader watch(Path folder, ConfigurableListableBeanFactory beanFactory) {
    Consumer<DslException> onError =
        errors ->
            LOG.warn(
                "The agent definition files have errors; the last good definitions stay in use:\n\n"
                    + errors.getMessage());
    MemoryStore store = memoryStore(beanFactory);
    AgentLoader loader =
        store == null
            ? AgentLoader.watch(folder, bindings(beanFactory), onError)
            : AgentLoader.watch(folder, bindings(beanFactory), store, onError);
    LOG.info(
        "Watching "
            + folder
            + " for changes to the agent definition files ("
            + AgentFiles.WATCH_PROPERTY
            + "=true, meant for development); get the agents from the "
            + REGISTRY_BEAN
            + " bean");
    return loader;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    // Everything happens at registration.
  }

  /**
   * Compiles the files with the application's bindings, keeping conversations in the MemoryStore
   * bean.
   */
  static Definitions compile(List<Source> sources, ConfigurableListableBeanFactory beanFactory) {
    MemoryStore store = memoryStore(beanFactory);
    return store == null
        ? Definitions.compile(sources, bindings(beanFactory))
        : Definitions.compile(sources, bindings(beanFactory), store);
  }

  // Called from a bean's supplier, never at registration: the store bean must be creatable by then.
  private static MemoryStore memoryStore(ConfigurableListableBeanFactory beanFactory) {
    return beanFactory.getBeanProvider(MemoryStore.class).getIfUnique();
  }

  /**
   * Returns the application's bindings: every ChatModel bean under its bean name (the agents' model
   * also as {@value #DEFAULT_MODEL}), each decorated once; the tools of the Toolbox bean; the
   * Tracing bean; the MCP connector, when one bean is (colloquy-mcp's {@code McpToolClients}); then
   * the customizers.
   */
  private static Bindings bindings(ConfigurableListableBeanFactory beanFactory) {
    Bindings.Builder bindings = Bindings.builder();
    ChatModelDecorator decorator =
        beanFactory
            .getBeanProvider(ChatModelDecorator.class)
            .getIfAvailable(() -> ChatModelDecorator.NONE);
    Map<String, ChatModel> models = beanFactory.getBeansOfType(ChatModel.class);
    ChatModel agentsModel =
        models.isEmpty() ? null : beanFactory.getBeanProvider(ChatModel.class).getIfUnique();
    models.forEach(
        (name, model) -> {
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
    beanFactory.getBeanProvider(Tracing.class).ifAvailable(bindings::tracing);
    beanFactory.getBeanProvider(McpConnector.class).ifUnique(bindings::mcp);
    beanFactory
        .getBeanProvider(ColloquyBindingsCustomizer.class)
        .orderedStream()
        .forEach(customizer -> customizer.customize(bindings));
    return bindings.build();
  }
}
