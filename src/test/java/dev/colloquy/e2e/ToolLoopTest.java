package dev.colloquy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.agent.Turn;
import dev.colloquy.core.agent.TurnBudgetExceededException;
import dev.colloquy.core.agent.TurnListener;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolException;
import dev.colloquy.core.tool.ToolExecution;
import dev.colloquy.core.tool.ToolFailure;
import dev.colloquy.core.tool.ToolParam;
import dev.colloquy.core.tool.Toolbox;
import dev.colloquy.test.ScriptedChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ToolLoopTest {

  /** The shop's tools, counting their runs. */
  public static class OrderTools {
    final AtomicInteger statusCalls = new AtomicInteger();
    final CyclicBarrier pair = new CyclicBarrier(2);

    @Tool(description = "Status of an order")
    public String orderStatus(@ToolParam(name = "orderId") int orderId) {
      statusCalls.incrementAndGet();
      if (orderId == 13) {
        throw new IllegalStateException("order 13 is cursed");
      }
      return "order " + orderId + " shipped on Monday";
    }

    @Tool(description = "Echoes after meeting a second call; only finishes when two run at once")
    public String meet(@ToolParam(name = "value") String value) throws Exception {
      pair.await(5, TimeUnit.SECONDS);
      return value.toUpperCase();
    }
  }

  private static AssistantMessage calls(ToolCall... calls) {
    return AssistantMessage.ofToolCalls(List.of(calls));
  }

  private static String lastToolResult(ChatRequest request) {
    for (int i = request.messages().size() - 1; i >= 0; i--) {
      if (request.messages().get(i) instanceof ToolResultMessage result) {
        return result.text();
      }
    }
    return "(no tool result)";
  }

  private static List<ToolResultMessage> results(ChatRequest request) {
    return request.messages().stream()
        .filter(m -> m instanceof ToolResultMessage)
        .map(m -> (ToolResultMessage) m)
        .toList();
  }

  @Test
  void runsAToolAndAnswersFromItsResultCommittingTheWholeTurn() {
    OrderTools tools = new OrderTools();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(calls(new ToolCall("call-1", "orderStatus", "{\"orderId\":1001}")))
            .reply(request -> "Good news: " + lastToolResult(request))
            .build();
    Agent agent = Agent.builder().model(model).tools(tools).build();

    String reply = agent.chat("c1", "Where is order 1001?");

    assertThat(reply).isEqualTo("Good news: order 1001 shipped on Monday");
    assertThat(model.requests().get(0).tools())
        .extracting(t -> t.name())
        .containsExactly("meet", "orderStatus");
    assertThat(agent.memory().messages("c1"))
        .extracting(Message::role)
        .containsExactly(
            Message.Role.USER, Message.Role.ASSISTANT, Message.Role.TOOL, Message.Role.ASSISTANT);
    assertThat(results(model.lastRequest()))
        .singleElement()
        .satisfies(r -> assertThat(r.toolCallId()).isEqualTo("call-1"));
  }

  @Test
  void twoCallsInOneReplyRunInParallelAndEachResultGoesToItsOwnId() {
    OrderTools tools = new OrderTools();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(
                calls(
                    new ToolCall("a", "meet", "{\"value\":\"left\"}"),
                    new ToolCall("b", "meet", "{\"value\":\"right\"}")))
            .reply("done")
            .build();
    Agent agent = Agent.builder().model(model).tools(tools).build();

    agent.chat("c1", "meet twice");

    assertThat(results(model.lastRequest()))
        .extracting(ToolResultMessage::toolCallId, ToolResultMessage::text)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", "LEFT"),
            org.assertj.core.groups.Tuple.tuple("b", "RIGHT"));
  }

  @Test
  void everyToolFailureGoesBackToTheModelAndTheConversationStaysValid() {
    OrderTools tools = new OrderTools();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(
                calls(
                    new ToolCall("1", "refund", "{}"),
                    new ToolCall("2", "orderStatus", "{\"orderId\":\"seven\"}"),
                    new ToolCall("3", "orderStatus", "{\"orderId\":7,\"rush\":true}"),
                    new ToolCall("4", "orderStatus", "{\"orderId\":"),
                    new ToolCall("5", "orderStatus", "{\"orderId\":13}")))
            .reply("Sorry, something went wrong.")
            .build();
    Agent agent = Agent.builder().model(model).tools(tools).build();

    agent.chat("c1", "try everything");

    List<ToolResultMessage> results = results(model.lastRequest());
    assertThat(results).allSatisfy(r -> assertThat(r.error()).isTrue());
    assertThat(results.get(0).text())
        .isEqualTo("there is no tool named 'refund'; the tools are: meet, orderStatus");
    assertThat(results.get(1).text())
        .isEqualTo(
            "invalid arguments for tool 'orderStatus': $.orderId: string found,"
                + " integer expected. The tool did not run; call it again with corrected arguments.");
    assertThat(results.get(2).text()).contains("property 'rush' is not defined in the schema");
    assertThat(results.get(3).text())
        .startsWith("invalid arguments for tool 'orderStatus': the arguments are not valid JSON");
    assertThat(results.get(4).text())
        .isEqualTo("tool 'orderStatus' failed: IllegalStateException: order 13 is cursed");
    assertThat(tools.statusCalls).hasValue(1);
    assertThat(agent.memory().messages("c1")).hasSize(8);
  }

  @Test
  void aPolicyCanTurnAFailureIntoAnExceptionAndNothingIsCommitted() {
    ScriptedChatModel model =
        ScriptedChatModel.builder().replyMessage(calls(new ToolCall("1", "refund", "{}"))).build();
    Agent agent =
        Agent.builder()
            .model(model)
            .toolbox(
                Toolbox.builder().add(new OrderTools()).throwOn(ToolFailure.UNKNOWN_TOOL).build())
            .build();

    assertThatThrownBy(() -> agent.chat("c1", "refund"))
        .isInstanceOf(ToolException.class)
        .hasMessage("there is no tool named 'refund'; the tools are: meet, orderStatus")
        .satisfies(
            e -> assertThat(((ToolException) e).failure()).isEqualTo(ToolFailure.UNKNOWN_TOOL));
    assertThat(agent.memory().messages("c1")).isEmpty();
  }

  @Test
  void aHangingToolIsInterruptedByItsTimeoutAndItsThreadIsReleased() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch exited = new CountDownLatch(1);
    Object hanging =
        new Object() {
          @Tool(description = "never answers")
          public String hang() {
            try {
              Thread.sleep(60_000);
              return "woke up";
            } catch (InterruptedException e) {
              interrupted.countDown();
              return "interrupted";
            } finally {
              exited.countDown();
            }
          }
        };
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(calls(new ToolCall("1", "hang", "{}")))
            .reply(request -> "tool said: " + lastToolResult(request))
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .toolbox(Toolbox.builder().add(hanging).toolTimeout(Duration.ofMillis(200)).build())
            .build();

    String reply = agent.chat("c1", "wait");

    assertThat(reply)
        .isEqualTo("tool said: tool 'hang' did not finish within 200 ms and was stopped");
    assertThat(interrupted.await(5, TimeUnit.SECONDS))
        .as("the tool thread was interrupted")
        .isTrue();
    assertThat(exited.await(5, TimeUnit.SECONDS)).as("the tool method returned").isTrue();
  }

  @Test
  void aToolRunsOnceWhenTheModelCallAfterItIsRetried() {
    OrderTools tools = new OrderTools();
    ScriptedChatModel scripted =
        ScriptedChatModel.builder()
            .replyMessage(calls(new ToolCall("1", "orderStatus", "{\"orderId\":5}")))
            .failOnCall(2, () -> new RetryableException("503 from upstream"))
            .reply(request -> "final: " + lastToolResult(request))
            .build();
    Agent agent = Agent.builder().model(new RetryingOnce(scripted)).tools(tools).build();

    String reply = agent.chat("c1", "status of 5");

    assertThat(reply).isEqualTo("final: order 5 shipped on Monday");
    assertThat(tools.statusCalls).hasValue(1);
    assertThat(scripted.callCount()).isEqualTo(3);
  }

  @Test
  void aModelThatKeepsAskingForToolsIsStoppedByTheRoundTripBudget() {
    OrderTools tools = new OrderTools();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .whenMessage(
                request -> true,
                request ->
                    calls(
                        new ToolCall(
                            "c" + request.messages().size(), "orderStatus", "{\"orderId\":1}")))
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .toolbox(Toolbox.builder().add(tools).maxRoundTrips(3).build())
            .build();

    assertThatThrownBy(() -> agent.chat("c1", "loop forever"))
        .isInstanceOf(TurnBudgetExceededException.class)
        .hasMessage(
            "the turn of conversation 'c1' used all 3 model round trips and the model was still asking"
                + " for tools; nothing was committed");
    assertThat(tools.statusCalls).hasValue(3);
    assertThat(agent.memory().messages("c1")).isEmpty();
  }

  @Test
  void theToolCallBudgetAnswersExtraCallsWithAnError() {
    OrderTools tools = new OrderTools();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(
                calls(
                    new ToolCall("1", "orderStatus", "{\"orderId\":1}"),
                    new ToolCall("2", "orderStatus", "{\"orderId\":2}")))
            .reply("ok")
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .toolbox(Toolbox.builder().add(tools).maxToolCalls(1).build())
            .build();

    agent.chat("c1", "two orders");

    assertThat(results(model.lastRequest()))
        .extracting(ToolResultMessage::text)
        .containsExactly(
            "order 1 shipped on Monday",
            "this turn has used all 1 tool calls it may make; answer with what you have");
  }

  @Test
  void streamingPausesForAToolAndResumesWithListenersSeeingTheCall() {
    OrderTools tools = new OrderTools();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(
                new AssistantMessage(
                    "Let me check. ", List.of(new ToolCall("1", "orderStatus", "{\"orderId\":9}"))))
            .reply("It shipped on Monday.")
            .build();
    Agent agent = Agent.builder().model(model).tools(tools).build();
    List<String> events = new ArrayList<>();
    TurnListener listener =
        new TurnListener() {
          @Override
          public void onText(String delta) {
            if (!events.isEmpty() && events.get(events.size() - 1).startsWith("text:")) {
              events.set(events.size() - 1, events.get(events.size() - 1) + delta);
            } else {
              events.add("text:" + delta);
            }
          }

          @Override
          public void onToolExecution(ToolExecution execution) {
            events.add(
                "tool:"
                    + execution.call().name()
                    + execution.call().arguments()
                    + "="
                    + execution.result()
                    + (execution.duration().isNegative() ? " negative" : ""));
          }
        };

    Reply reply = agent.stream("c1", "where is 9?", listener);

    assertThat(events)
        .containsExactly(
            "text:Let me check. ",
            "tool:orderStatus{\"orderId\":9}=order 9 shipped on Monday",
            "text:It shipped on Monday.");
    assertThat(reply.text()).isEqualTo("It shipped on Monday.");
  }

  @Test
  void aDenialIsFinalForTheTurnAndTheApprovalIsAskedOnce() {
    AtomicInteger asked = new AtomicInteger();
    Object refunds =
        new Object() {
          @Tool(description = "Refund an order", requiresApproval = true)
          public String refund(@ToolParam(name = "orderId") int orderId) {
            throw new AssertionError("a denied refund must never run");
          }
        };
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(calls(new ToolCall("1", "refund", "{\"orderId\":4}")))
            .replyMessage(calls(new ToolCall("2", "refund", "{\"orderId\":4}")))
            .reply("I could not refund it.")
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .toolbox(
                Toolbox.builder()
                    .add(refunds)
                    .approval(
                        (call, context) -> {
                          asked.incrementAndGet();
                          return false;
                        })
                    .build())
            .build();

    agent.chat("c1", "refund 4");

    assertThat(asked).hasValue(1);
    assertThat(results(model.lastRequest()))
        .extracting(ToolResultMessage::text)
        .containsOnly(
            "the user denied this call of tool 'refund'; do not ask for it again in this turn");
  }

  @Test
  void theAllowListHidesAndRefusesOtherTools() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(calls(new ToolCall("1", "meet", "{\"value\":\"x\"}")))
            .reply("ok")
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .toolbox(Toolbox.builder().add(new OrderTools()).allow("orderStatus").build())
            .build();

    agent.chat("c1", "meet");

    assertThat(model.requests().get(0).tools())
        .extracting(t -> t.name())
        .containsExactly("orderStatus");
    assertThat(lastToolResult(model.lastRequest()))
        .isEqualTo("tool 'meet' is not allowed for this agent");
  }

  @Test
  void aLongResultIsCutWithAMarker() {
    Object chatty =
        new Object() {
          @Tool(description = "talks a lot")
          public String talk() {
            return "x".repeat(500);
          }
        };
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(calls(new ToolCall("1", "talk", "{}")))
            .reply("ok")
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .toolbox(Toolbox.builder().add(chatty).maxResultChars(100).build())
            .build();

    agent.chat("c1", "talk");

    assertThat(lastToolResult(model.lastRequest()))
        .isEqualTo("x".repeat(100) + "\n[truncated: 100 of 500 characters shown]");
  }

  @Test
  void cancellingDuringAToolInterruptsItAndCommitsNothing() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Object slow =
        new Object() {
          @Tool(description = "slow")
          public String slow() {
            started.countDown();
            try {
              Thread.sleep(60_000);
              return "late";
            } catch (InterruptedException e) {
              interrupted.countDown();
              return "stopped";
            }
          }
        };
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(calls(new ToolCall("1", "slow", "{}")))
            .reply("never")
            .build();
    Agent agent = Agent.builder().model(model).tools(slow).build();
    Cancellation cancellation = Cancellation.create();
    ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor();
    try {
      canceller.submit(
          () -> {
            started.await();
            cancellation.cancel();
            return null;
          });

      assertThatThrownBy(() -> agent.run(Turn.of("c1", "go slow").withCancellation(cancellation)))
          .isInstanceOf(CancelledException.class);
    } finally {
      canceller.shutdownNow();
    }
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.memory().messages("c1")).isEmpty();
    assertThat(model.callCount()).isEqualTo(1);
  }

  @Test
  void aTurnPastItsDeadlineIsStoppedAndNotCommitted() {
    Object slow =
        new Object() {
          @Tool(description = "slow")
          public String slow() throws InterruptedException {
            Thread.sleep(60_000);
            return "late";
          }
        };
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(calls(new ToolCall("1", "slow", "{}")))
            .reply("never")
            .build();
    Agent agent =
        Agent.builder().model(model).tools(slow).turnDeadline(Duration.ofMillis(300)).build();

    assertThatThrownBy(() -> agent.chat("c1", "go slow"))
        .isInstanceOf(dev.colloquy.core.agent.TurnDeadlineExceededException.class)
        .hasMessage(
            "the turn of conversation 'c1' ran past its deadline of 300 ms and was stopped; nothing was committed");
    assertThat(agent.memory().messages("c1")).isEmpty();
  }

  /** Stands in for a retry decorator: retries a retryable failure once. */
  private static final class RetryingOnce implements ChatModel {
    private final ChatModel delegate;
    private final List<String> failures = new CopyOnWriteArrayList<>();

    RetryingOnce(ChatModel delegate) {
      this.delegate = delegate;
    }

    @Override
    public ModelCapabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public ChatResponse generate(
        ChatRequest request, StreamListener listener, Cancellation cancellation) {
      try {
        return delegate.generate(request, listener, cancellation);
      } catch (RetryableException e) {
        failures.add(e.getMessage());
        return delegate.generate(request, listener, cancellation);
      }
    }
  }
}
