package dev.colloquy.spring;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.cache.ResponseCache;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.core.observe.ChatListener;
import dev.colloquy.core.observe.Tracing;
import dev.colloquy.core.resilience.ResiliencePolicy;
import dev.colloquy.core.tool.Toolbox;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Colloquy's auto-configuration: memory, tools, the decorator chain and the agents. Each bean backs
 * off when the application declares its own of the same type. The backends, metrics and health have
 * their own auto-configurations, which run before this one.
 *
 * <p>Agents: one bean per agent declared in the definition files under {@code
 * colloquy.agents.location}, and the {@link AgentRegistry} over them (only the registry with {@code
 * colloquy.agents.watch=true}); when there is none, one agent ({@code colloquyAgent}) built from
 * properties, provided a {@link ChatModel} bean exists.
 */
@AutoConfiguration(
    after = {
      RemoteBackendAutoConfiguration.class,
      LocalBackendAutoConfiguration.class,
      ColloquyMetricsAutoConfiguration.class
    })
@EnableConfigurationProperties(ColloquyProperties.class)
public class ColloquyAutoConfiguration {

  /** Registers the agents of the definition files; see {@link AgentDefinitionsRegistrar}. */
  @Bean
  static AgentDefinitionsRegistrar colloquyAgentDefinitionsRegistrar() {
    return new AgentDefinitionsRegistrar();
  }

  /**
   * Stops startup when {@code colloquy.backend} names a backend whose module is missing; see {@link
   * BackendModuleCheck}.
   */
  @Bean
  static BackendModuleCheck colloquyBackendModuleCheck() {
    return new BackendModuleCheck();
  }

  /**
   * The conversation store: in the heap, bounded by {@code colloquy.memory.max-conversations} and
   * idle expiry.
   */
  @Bean
  @ConditionalOnMissingBean
  MemoryStore colloquyMemoryStore(ColloquyProperties properties) {
    MemoryProperties memory = properties.getMemory();
    return InMemoryStore.builder()
        .maximumConversations(memory.getMaxConversations())
        .expireAfterIdle(
            memory.getExpireAfterIdle() != null
                ? memory.getExpireAfterIdle()
                : InMemoryStore.DEFAULT_EXPIRE_AFTER_IDLE)
        .build();
  }

  /**
   * The property-built agent's memory: a window of {@code colloquy.memory.window} messages over the
   * store.
   */
  @Bean
  @ConditionalOnMissingBean
  ChatMemory colloquyChatMemory(
      ColloquyProperties properties, MemoryStore store, ObjectProvider<ChatModel> models) {
    MemoryProperties memory = properties.getMemory();
    ChatMemory.Builder builder =
        ChatMemory.builder()
            .store(store)
            .maxMessages(memory.getWindow())
            .conflictRetries(memory.getConflictRetries());
    if (memory.getTokens() > 0) {
      // Counted with the model's own tokenizer when there is one model; it is looked up at the
      // first count, so that the memory does not need the model to exist first.
      AtomicReference<TokenCounter> counter = new AtomicReference<>();
      builder.maxTokens(
          memory.getTokens(),
          text -> {
            TokenCounter known = counter.get();
            if (known == null) {
              ChatModel model = models.getIfUnique();
              known =
                  model == null
                      ? TokenCounter.estimate()
                      : model.tokenCounter().orElseGet(TokenCounter::estimate);
              counter.set(known);
            }
            return known.count(text);
          });
    }
    return builder.build();
  }

  /** The resilience decorators, when {@code colloquy.resilience.enabled=true}. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty("colloquy.resilience.enabled")
  ResiliencePolicy colloquyResiliencePolicy(ColloquyProperties properties) {
    ResilienceProperties r = properties.getResilience();
    if (r.getMaxBackoff().compareTo(r.getInitialBackoff()) < 0) {
      throw new IllegalArgumentException(
          "colloquy.resilience.max-backoff ("
              + r.getMaxBackoff()
              + ") must not be below colloquy.resilience.initial-backoff ("
              + r.getInitialBackoff()
              + ")");
    }
    ResiliencePolicy.Builder policy =
        ResiliencePolicy.builder()
            .maxAttempts(r.getMaxAttempts())
            .backoff(r.getInitialBackoff(), r.getMaxBackoff())
            .timeout(r.getTimeout());
    if (!r.isCircuitBreaker()) {
      policy.noCircuitBreaker();
    }
    if (r.getRequestsPerMinute() != null) {
      policy.requestsPerPeriod(r.getRequestsPerMinute(), Duration.ofMinutes(1));
    }
    if (r.getMaxConcurrentCalls() != null) {
      policy.maxConcurrentCalls(r.getMaxConcurrentCalls());
    }
    return policy.build();
  }

  /** The response cache, when {@code colloquy.cache.enabled=true}. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty("colloquy.cache.enabled")
  ResponseCache colloquyResponseCache(ColloquyProperties properties) {
    CacheProperties c = properties.getCache();
    ResponseCache.Builder cache =
        ResponseCache.builder()
            .maximumSize(c.getMaximumSize())
            .expireAfterWrite(c.getExpireAfterWrite());
    if (c.isNonDeterministic()) {
      cache.cacheNonDeterministic();
    }
    return cache.build();
  }

  /**
   * The decorator chain: {@code Listening( Cache( Resilience( model ) ) )}, each layer when
   * configured.
   */
  @Bean
  @ConditionalOnMissingBean
  ChatModelDecorator colloquyChatModelDecorator(
      ObjectProvider<ResiliencePolicy> resilience,
      ObjectProvider<ResponseCache> cache,
      ObjectProvider<ChatListener> listeners) {
    ChatListener[] all = listeners.orderedStream().toArray(ChatListener[]::new);
    return new PropertiesChatModelDecorator(
        resilience.getIfAvailable(),
        cache.getIfAvailable(),
        all.length == 0 ? null : all.length == 1 ? all[0] : ChatListener.all(all));
  }

  /**
   * The tools: every public {@code @Tool} method of every bean, and the tools of the MCP servers of
   * {@code colloquy.mcp.servers} (with colloquy-mcp), when {@code colloquy.tools-enabled} (default
   * true).
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "colloquy.tools-enabled", matchIfMissing = true)
  Toolbox colloquyToolbox(
      ConfigurableListableBeanFactory beanFactory, ObjectProvider<ToolSource> sources) {
    Toolbox.Builder toolbox = Toolbox.builder();
    ToolBeans.find(beanFactory).forEach(toolbox::add);
    sources.orderedStream().forEach(source -> source.tools().forEach(toolbox::add));
    return toolbox.build();
  }

  /**
   * The agent built from properties, when no definition file exists, no Agent bean is declared, and
   * a ChatModel bean is.
   */
  @Bean
  @ConditionalOnMissingBean(Agent.class)
  @ConditionalOnBean(ChatModel.class)
  @Conditional(NoAgentFiles.class)
  Agent colloquyAgent(
      ColloquyProperties properties,
      ConfigurableListableBeanFactory beanFactory,
      ChatModelDecorator decorator,
      ChatMemory memory,
      ObjectProvider<Toolbox> toolbox,
      ObjectProvider<Tracing> tracing) {
    ChatModel model = beanFactory.getBean(ChatModel.class);
    String name =
        beanFactory.getBeansOfType(ChatModel.class).entrySet().stream()
            .filter(e -> e.getValue() == model)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse("default");
    Agent.Builder agent = Agent.builder().model(decorator.decorate(name, model)).memory(memory);
    String system = properties.getAgents().getSystemPrompt();
    if (system != null && !system.isBlank()) {
      agent.system(system);
    }
    Toolbox tools = toolbox.getIfAvailable();
    if (tools != null && !tools.isEmpty()) {
      agent.toolbox(tools);
    }
    tracing.ifAvailable(agent::tracing);
    return agent.build();
  }

  /** Matches when the agent definition location holds no {@code *.colloquy} file. */
  static final class NoAgentFiles extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(
        ConditionContext context, AnnotatedTypeMetadata metadata) {
      String location = AgentFiles.location(context.getEnvironment());
      return AgentFiles.read(context.getResourceLoader(), location).isEmpty()
          ? ConditionOutcome.match("no agent definition file under " + location)
          : ConditionOutcome.noMatch("agent definition files under " + location);
    }
  }
}
