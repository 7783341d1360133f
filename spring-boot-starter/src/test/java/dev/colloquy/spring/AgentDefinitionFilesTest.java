package dev.colloquy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.DslException;
import dev.colloquy.test.ScriptedChatModel;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AgentDefinitionFilesTest {

  private final ApplicationContextRunner runner =
      Runners.colloquy()
          .withBean(
              ChatModel.class,
              () ->
                  ScriptedChatModel.builder()
                      .otherwise(request -> "echo: " + request.lastUserText())
                      .build());

  private static ApplicationContextRunner at(ApplicationContextRunner runner, String folder) {
    return runner.withPropertyValues(
        "colloquy.agents.location=classpath:agents-test/" + folder + "/");
  }

  @Test
  void eachAgentOfEachFileBecomesABeanNamedAfterIt() {
    at(runner, "valid")
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(Definitions.class)
                  .doesNotHaveBean("colloquyAgent");
              assertThat(context.getBeansOfType(Agent.class))
                  .containsOnlyKeys("support", "greeter");
              Agent support = context.getBean("support", Agent.class);
              assertThat(support.chat("c", "hi")).isEqualTo("echo: hi");
              assertThat(support.memory().maxMessages()).isEqualTo(6);
              assertThat(support.render("c", "x").messages().get(0).toString())
                  .contains("Acme Shoes");
            });
  }

  @Test
  void theRegistryGivesTheSameAgentsAsTheirBeans() {
    at(runner, "valid")
        .run(
            context -> {
              AgentRegistry agents = context.getBean(AgentRegistry.class);
              assertThat(agents.names()).containsExactlyInAnyOrder("support", "greeter");
              assertThat(agents.get("support")).isSameAs(context.getBean("support", Agent.class));
              assertThat(agents.definitions()).isSameAs(context.getBean(Definitions.class));
            });
  }

  @Test
  void noDefinitionFileMeansNoRegistry() {
    runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AgentRegistry.class));
  }

  @Test
  void fileAgentsKeepTheirConversationsInTheMemoryStoreBean() {
    InMemoryStore store = InMemoryStore.create();
    at(runner, "valid")
        .withBean(MemoryStore.class, () -> store)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              context.getBean("support", Agent.class).chat("customer-1", "hello");
              assertThat(store.load("customer-1").messages())
                  .extracting(Message::text)
                  .containsExactly("hello", "echo: hello");
            });
  }

  @Test
  void aSyntaxErrorStopsStartupWithTheFileLineAndColumn() {
    at(runner, "broken")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure()).isInstanceOf(DslException.class);
              assertThat(context.getStartupFailure().getMessage())
                  .startsWith("broken.colloquy:3:17: error:");
            });
  }

  @Test
  void anUnknownModelStopsStartupWithTheDslErrorAndTheBoundNames() {
    at(runner, "unknown-model")
        .run(
            context -> {
              assertThat(context).hasFailed();
              String messages = Runners.messages(context.getStartupFailure());
              assertThat(messages)
                  .contains("support.colloquy:2:9: error: unknown model `shop-modle`")
                  .contains("default");
            });
  }

  @Test
  void theFailureReportShowsTheDslErrorsAndWhatToDo() {
    at(runner, "unknown-model")
        .run(
            context -> {
              FailureAnalysis analysis =
                  new AgentDefinitionFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains("support.colloquy:2:9")
                  .contains("^^^");
              assertThat(analysis.getAction()).contains("colloquy.agents.location");
            });
  }

  @Test
  void toolsNamedInAFileAreBoundFromToolBeans() {
    at(runner, "with-tools")
        .withBean(OrderTools.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean("support", Agent.class).toolbox().tool("orderStatus"))
                  .isPresent();
            });
  }

  @Test
  void aToolNamedInAFileButNotBoundStopsStartupNamingIt() {
    at(runner, "with-tools")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(Runners.messages(context.getStartupFailure()))
                  .contains("support.colloquy:3:9: error: unknown tool `orderStatus`");
            });
  }

  @Test
  void aBeanWithAnAgentsNameTakesItsPlace() {
    at(runner, "valid")
        .withBean(
            "support",
            Agent.class,
            () -> Agent.builder().model(ScriptedChatModel.alwaysReplying("mine")).build())
        .run(
            context -> {
              assertThat(context.getBean("support", Agent.class).chat("c", "hi")).isEqualTo("mine");
              assertThat(context.getBean("greeter", Agent.class).chat("c", "hi"))
                  .isEqualTo("echo: hi");
            });
  }

  @Test
  void customizersBindFurtherModelNames() {
    at(runner, "unknown-model")
        .withBean(
            ColloquyBindingsCustomizer.class,
            () ->
                bindings -> bindings.model("shop-modle", ScriptedChatModel.alwaysReplying("bound")))
        .run(
            context ->
                assertThat(context.getBean("support", Agent.class).chat("c", "hi"))
                    .isEqualTo("bound"));
  }
}
