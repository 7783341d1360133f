package dev.colloquy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.chain.Chain;
import dev.colloquy.core.chain.ChainContext;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.prompt.PromptTemplate;
import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.core.tool.ToolParam;
import dev.colloquy.test.ScriptedChatModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChainTest {

  enum Intent {
    ORDER,
    SMALLTALK
  }

  public static class Orders {
    @Tool(description = "Status of an order")
    public String orderStatus(@ToolParam(name = "orderId") int orderId) {
      return "order " + orderId + ": shipped";
    }
  }

  record Lookup(int orderId) {}

  @Test
  void aChainWithABranchALoopAndAParallelStepRunsInOrder() {
    ScriptedChatModel classifier =
        ScriptedChatModel.builder()
            .whenUserMatches("(?i)order", " order. ")
            .otherwise(request -> "SMALLTALK")
            .build();
    ToolDefinition status = ToolDefinition.fromAnnotated(new Orders()).get(0);
    CyclicBarrier together = new CyclicBarrier(2);
    Chain<String, String> lookup =
        Chain.<String, Integer>of(text -> Integer.parseInt(text.replaceAll("\\D", "")))
            .then(Chain.tool(status, id -> Map.of("orderId", id)));
    Chain<String, String> shout =
        Chain.of(
            text -> {
              await(together);
              return text.toUpperCase();
            });
    Chain<String, String> polite =
        Chain.of(
            text -> {
              await(together);
              return "Thanks for asking";
            });
    Chain<String, String> pad =
        Chain.loop(Chain.of(text -> text + "!"), text -> text.endsWith("!!!"), 10);
    Chain<String, String> flow =
        Chain.classify(
            classifier,
            Intent.class,
            Map.of(
                Intent.ORDER,
                    lookup
                        .then(Chain.parallel(List.of(shout, polite)))
                        .then(Chain.of(parts -> String.join(" / ", parts)))
                        .then(pad),
                Intent.SMALLTALK,
                    Chain.branch(
                        text -> text.length() > 10,
                        Chain.of(text -> "long chat"),
                        Chain.of(text -> "hi"))));

    assertThat(flow.run("Where is order 1001?", ChainContext.of("c1")))
        .isEqualTo("ORDER 1001: SHIPPED / Thanks for asking!!!");
    assertThat(flow.run("hello", ChainContext.of("c1"))).isEqualTo("hi");
    assertThat(flow.run("how are you doing today", ChainContext.of("c1"))).isEqualTo("long chat");
  }

  @Test
  void aLoopStopsAtItsMaximum() {
    Chain<Integer, Integer> count = Chain.loop(Chain.of(n -> n + 1), n -> false, 5);

    assertThat(count.run(0, ChainContext.of("c1"))).isEqualTo(5);
    assertThatThrownBy(() -> Chain.loop(Chain.<Integer, Integer>of(n -> n), n -> true, 0))
        .hasMessage("maxIterations must be at least 1, was 0");
  }

  @Test
  void mapRunsOverAListKeepingOrder() {
    Chain<List<String>, List<Integer>> lengths = Chain.map(Chain.of(String::length));

    assertThat(lengths.run(List.of("a", "bbb", "cc"), ChainContext.of("c1")))
        .containsExactly(1, 3, 2);
  }

  @Test
  void anUnknownClassificationFailsNamingTheLabels() {
    ScriptedChatModel classifier = ScriptedChatModel.alwaysReplying("WEATHER");
    Chain<String, String> flow =
        Chain.classify(
            classifier,
            Intent.class,
            Map.of(Intent.ORDER, Chain.of(t -> "o"), Intent.SMALLTALK, Chain.of(t -> "s")));

    assertThatThrownBy(() -> flow.run("rain?", ChainContext.of("c1")))
        .isInstanceOf(NonRetryableException.class)
        .hasMessage(
            "classification failed: the model replied \"WEATHER\", which is none of the labels [ORDER, SMALLTALK]");
  }

  @Test
  void modelStepsRenderTheirPromptFromInputAndVariables() {
    ScriptedChatModel model =
        ScriptedChatModel.builder().otherwise(request -> "translated").build();
    Chain<String, String> translate =
        Chain.model(
            model,
            PromptTemplate.of("Translate to {{language}}: {{input}}"),
            ChatOptions.defaults());

    String out =
        translate.run("Hello", ChainContext.of("c1").withVariables(Map.of("language", "Chinese")));

    assertThat(out).isEqualTo("translated");
    assertThat(model.lastRequest().lastUserText()).isEqualTo("Translate to Chinese: Hello");
  }

  @Test
  void aChainOfferedAsAToolRunsInsideTheAgentsTurn() {
    ToolDefinition status = ToolDefinition.fromAnnotated(new Orders()).get(0);
    ToolDefinition lookupTool =
        Chain.<Lookup, String>of(lookup -> Map.of("orderId", lookup.orderId()).toString())
            .then(Chain.<String, Integer>of(text -> Integer.parseInt(text.replaceAll("\\D", ""))))
            .then(Chain.tool(status, id -> Map.of("orderId", id)))
            .asTool("lookup", "Looks an order up", Lookup.class);
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(
                AssistantMessage.ofToolCalls(
                    List.of(new ToolCall("1", "lookup", "{\"orderId\":7}"))))
            .reply(
                request ->
                    ((ToolResultMessage) request.messages().get(request.messages().size() - 1))
                        .text())
            .build();
    Agent agent = Agent.builder().model(model).tools(lookupTool).build();

    assertThat(agent.chat("c1", "order 7?")).isEqualTo("order 7: shipped");
  }

  @Test
  void oneCancellationStopsRunningParallelSteps() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch interrupted = new CountDownLatch(2);
    Chain<String, String> sleeper =
        Chain.of(
            text -> {
              bothRunning.countDown();
              try {
                Thread.sleep(60_000);
                return "late";
              } catch (InterruptedException e) {
                interrupted.countDown();
                return "stopped";
              }
            });
    Chain<String, List<String>> both = Chain.parallel(List.of(sleeper, sleeper));
    Cancellation cancellation = Cancellation.create();
    ExecutorService canceller = Executors.newSingleThreadExecutor();
    try {
      canceller.submit(
          () -> {
            bothRunning.await();
            cancellation.cancel();
            return null;
          });

      assertThatThrownBy(() -> both.run("x", ChainContext.of("c1").withCancellation(cancellation)))
          .isInstanceOf(CancelledException.class);
    } finally {
      canceller.shutdownNow();
    }
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the parallel branches did not run at the same time", e);
    }
  }
}
