package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.cache.ResponseCache;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.observe.ChatEvent;
import dev.colloquy.core.observe.ChatListener;
import dev.colloquy.core.resilience.ResiliencePolicy;
import dev.colloquy.core.tool.Toolbox;
import dev.colloquy.test.ScriptedChatModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ColloquyAutoConfigurationTest {

  private final ApplicationContextRunner runner = Runners.colloquy();

  private static ScriptedChatModel echo() {
    return ScriptedChatModel.builder()
        .otherwise(request -> "echo: " + request.lastUserText())
        .build();
  }

  @Test
  void withoutAnyModelThereIsNoAgentButMemoryAndToolsAreReady() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(Agent.class);
          assertThat(context)
              .hasSingleBean(MemoryStore.class)
              .hasSingleBean(ChatMemory.class)
              .hasSingleBean(Toolbox.class)
              .hasSingleBean(ChatModelDecorator.class);
          assertThat(context.getBean(MemoryStore.class)).isInstanceOf(InMemoryStore.class);
        });
  }

  @Test
  void aChatModelBeanGivesThePropertyBuiltAgentWithItsSystemPrompt() {
    runner
        .withBean(ChatModel.class, ColloquyAutoConfigurationTest::echo)
        .withPropertyValues("colloquy.agents.system-prompt=You are the assistant of Acme.")
        .run(
            context -> {
              Agent agent = context.getBean("colloquyAgent", Agent.class);
              assertThat(agent.chat("c1", "hello")).isEqualTo("echo: hello");
              assertThat(agent.render("c1", "again").messages().get(0).toString())
                  .contains("You are the assistant of Acme.");
            });
  }

  @Test
  void anAgentBeanOfTheApplicationReplacesThePropertyBuiltOne() {
    runner
        .withBean(ChatModel.class, ColloquyAutoConfigurationTest::echo)
        .withBean(
            "myAgent",
            Agent.class,
            () -> Agent.builder().model(ScriptedChatModel.alwaysReplying("mine")).build())
        .run(
            context -> {
              assertThat(context).hasSingleBean(Agent.class);
              assertThat(context.getBean(Agent.class).chat("c", "hi")).isEqualTo("mine");
            });
  }

  @Test
  void theMemoryWindowComesFromPropertiesAndUsesTheApplicationsStore() {
    MemoryStore store = InMemoryStore.create();
    runner
        .withBean(MemoryStore.class, () -> store)
        .withPropertyValues("colloquy.memory.window=7")
        .run(
            context -> {
              ChatMemory memory = context.getBean(ChatMemory.class);
              assertThat(memory.maxMessages()).isEqualTo(7);
              assertThat(memory.store()).isSameAs(store);
            });
  }

  @Test
  void aNegativeWindowStopsStartupNamingThePropertyAndTheReason() {
    runner
        .withPropertyValues("colloquy.memory.window=-1")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("colloquy.memory.window must be at least 2, was -1");
            });
  }

  @Test
  void aDurationThatIsNotPositiveStopsStartupNamingTheProperty() {
    runner
        .withPropertyValues("colloquy.memory.expire-after-idle=0s")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains(
                      "colloquy.memory.expire-after-idle must be a positive duration, was PT0S");
            });
  }

  @Test
  void toolsAreCollectedFromBeansWithToolMethodsAndGivenToTheAgent() {
    runner
        .withBean(ChatModel.class, ColloquyAutoConfigurationTest::echo)
        .withBean(OrderTools.class)
        .run(
            context -> {
              assertThat(context.getBean(Toolbox.class).tool("orderStatus")).isPresent();
              assertThat(context.getBean(Agent.class).toolbox().tool("orderStatus")).isPresent();
            });
  }

  @Test
  void toolsAreNotCollectedWhenTurnedOff() {
    runner
        .withBean(OrderTools.class)
        .withPropertyValues("colloquy.tools-enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Toolbox.class));
  }

  @Test
  void resilienceAndCacheAppearOnlyWhenEnabled() {
    runner.run(
        context ->
            assertThat(context)
                .doesNotHaveBean(ResiliencePolicy.class)
                .doesNotHaveBean(ResponseCache.class));
    runner
        .withPropertyValues("colloquy.resilience.enabled=true", "colloquy.cache.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(ResiliencePolicy.class)
                    .hasSingleBean(ResponseCache.class));
  }

  @Test
  void aMaxBackoffBelowTheInitialBackoffStopsStartupNamingBoth() {
    runner
        .withPropertyValues(
            "colloquy.resilience.enabled=true",
            "colloquy.resilience.initial-backoff=5s",
            "colloquy.resilience.max-backoff=1s")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains(
                      "colloquy.resilience.max-backoff (PT1S) must not be below colloquy.resilience.initial-backoff (PT5S)");
            });
  }

  @Test
  void theCacheAnswersARepeatedQuestionWithoutCallingTheModel() {
    ScriptedChatModel model = echo();
    runner
        .withBean(ChatModel.class, () -> model)
        .withPropertyValues("colloquy.cache.enabled=true", "colloquy.cache.non-deterministic=true")
        .run(
            context -> {
              Agent agent = context.getBean(Agent.class);
              assertThat(agent.chat("first", "opening hours?")).isEqualTo("echo: opening hours?");
              assertThat(agent.chat("second", "opening hours?")).isEqualTo("echo: opening hours?");
              assertThat(model.callCount()).isEqualTo(1);
            });
  }

  @Test
  void chatListenerBeansHearEveryModelCallOfTheAgent() {
    List<ChatEvent> events = new CopyOnWriteArrayList<>();
    runner
        .withBean(ChatModel.class, ColloquyAutoConfigurationTest::echo)
        .withBean(ChatListener.class, () -> events::add)
        .run(
            context -> {
              context.getBean(Agent.class).chat("c", "hi");
              assertThat(events).isNotEmpty();
            });
  }

  @Test
  void aDecoratorBeanOfTheApplicationReplacesTheChain() {
    List<String> decorated = new CopyOnWriteArrayList<>();
    runner
        .withBean(ChatModel.class, ColloquyAutoConfigurationTest::echo)
        .withBean(
            ChatModelDecorator.class,
            () ->
                (name, model) -> {
                  decorated.add(name);
                  return model;
                })
        .run(
            context -> {
              context.getBean(Agent.class);
              assertThat(decorated).containsExactly("chatModel");
            });
  }
}
