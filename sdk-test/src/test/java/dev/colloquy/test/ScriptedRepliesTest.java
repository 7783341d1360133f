package dev.colloquy.test;

import static dev.colloquy.test.ColloquyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.TruncatedResponseException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolParam;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScriptedRepliesTest {

  private static ChatRequest ask(String text) {
    return ChatRequest.of(Message.system("Be brief."), Message.user(text));
  }

  @Test
  void aRateLimitThenSuccessFailsOnceWithRetryAfterAndThenAnswers() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .reply(ScriptedReply.rateLimited(Duration.ofSeconds(2)))
            .reply("ok")
            .build();

    assertThatThrownBy(() -> model.chat(ask("a")))
        .isInstanceOfSatisfying(
            RetryableException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)))
        .hasMessage("429 Too Many Requests (scripted): retry after PT2S");
    assertThat(model.chat(ask("a"))).hasText("ok");
  }

  @Test
  void aTimeoutWaitsOnTheInjectedSleeperThenFails() {
    FakeClock clock = FakeClock.create();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .sleeper(clock)
            .reply(ScriptedReply.timeout(Duration.ofSeconds(30)))
            .build();

    assertThatThrownBy(() -> model.chat(ask("a")))
        .isInstanceOf(RetryableException.class)
        .hasMessage("the scripted call timed out after PT30S");
    assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-01T00:00:30Z"));
  }

  @Test
  void chunksStreamAsScriptedWithADelayBeforeEach() {
    FakeClock clock = FakeClock.create();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .sleeper(clock)
            .reply(
                ScriptedReply.chunks("Hel", "lo ", "there").withChunkDelay(Duration.ofMillis(250)))
            .build();
    List<String> seen = new ArrayList<>();

    ChatResponse response =
        model.generate(
            ask("a"), delta -> seen.add(delta + "@" + clock.instant()), Cancellation.none());

    assertThat(seen)
        .containsExactly(
            "Hel@2025-01-01T00:00:00.250Z",
            "lo @2025-01-01T00:00:00.500Z",
            "there@2025-01-01T00:00:00.750Z");
    assertThat(response).hasText("Hello there");
    assertThat(clock.totalSlept()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void aTruncatedStreamDeliversItsFirstChunksThenThrowsWithThePartialText() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .reply(ScriptedReply.chunks("Your ", "order ", "shipped.").truncatedAfter(2))
            .build();
    List<String> seen = new ArrayList<>();

    assertThatThrownBy(() -> model.generate(ask("a"), seen::add, Cancellation.none()))
        .isInstanceOfSatisfying(
            TruncatedResponseException.class,
            e -> assertThat(e.partialText()).isEqualTo("Your order "))
        .hasMessage("the scripted stream was cut after 2 of 3 chunks, before its finish reason");
    assertThat(seen).containsExactly("Your ", "order ");
  }

  @Test
  void toolCallsAreNumberedAndStreamedAfterTheText() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .reply(
                ScriptedReply.text("Checking.")
                    .andToolCall("lookup", "{\"orderId\":1001}")
                    .andToolCall("refund", "{\"orderId\":1001}"))
            .build();
    List<ToolCall> calls = new ArrayList<>();
    StreamListener listener =
        new StreamListener() {
          @Override
          public void onText(String delta) {}

          @Override
          public void onToolCall(ToolCall call) {
            calls.add(call);
          }
        };

    ChatResponse response = model.generate(ask("refund 1001"), listener, Cancellation.none());

    assertThat(response).hasFinishReason(FinishReason.TOOL_CALLS).hasToolCall("refund");
    assertThat(calls).extracting(ToolCall::id).containsExactly("call-1", "call-2");
  }

  @Test
  void scriptedUsageReplacesTheWordCounts() {
    ScriptedChatModel model =
        ScriptedChatModel.builder().reply(ScriptedReply.text("hi").withUsage(120, 7)).build();

    assertThat(model.chat(ask("a"))).hasUsage(120, 7);
  }

  @Test
  void theMatchingRuleOfHighestPriorityAnswersWhateverTheOrderOfAdding() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .whenUserMatches("(?i)order", "generic order answer")
            .rule(
                "refunds first",
                10,
                request -> request.lastUserText().contains("refund"),
                request -> ScriptedReply.text("refund answer"))
            .build();

    assertThat(model.chat(ask("refund my order"))).hasText("refund answer");
    assertThat(model.chat(ask("where is my order"))).hasText("generic order answer");
  }

  @Test
  void strictModeFailsTheTestWithAReadableViewOfWhatWasAsked() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .strict()
            .whenUserMatches("(?i)hours", "9 to 5")
            .rule(
                "refunds",
                5,
                request -> request.lastUserText().contains("refund"),
                request -> ScriptedReply.text("refunded"))
            .build();

    assertThatThrownBy(() -> model.chat(ask("Where is order 7?")))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage(
            """
            Unscripted request: call #1 to the scripted model matched no rule, and no reply was queued.
            What was asked:
              system: Be brief.
              user: Where is order 7?
              options: ChatOptions{}
            Rules tried, highest priority first:
              refunds (priority 5)
              user matches /(?i)hours/ (priority 0)
            Script this call with reply(...), a rule, or otherwise(...).""");
  }

  @Test
  void assertScriptConsumedFailsWhenQueuedRepliesWereNotServed() {
    ScriptedChatModel model =
        ScriptedChatModel.builder().reply("one").reply("two").reply("three").build();
    model.chat(ask("a"));

    assertThatThrownBy(model::assertScriptConsumed)
        .hasMessage(
            "the scripted model still holds 2 queued replies after 1 call;"
                + " the code under test made fewer calls than scripted");
  }

  @Test
  void scriptedReplySettingsAreGivenOnce() {
    ScriptedReply reply = ScriptedReply.text("x").withUsage(1, 1);

    assertThatThrownBy(() -> reply.withUsage(2, 2))
        .hasMessage("usage was already set to TokenUsage[inputTokens=1, outputTokens=1]");
    assertThatThrownBy(() -> ScriptedReply.rateLimited(Duration.ZERO).withUsage(1, 1))
        .hasMessage("withUsage does not apply to a failing reply");
    assertThatThrownBy(() -> ScriptedChatModel.builder().strict().strict())
        .hasMessage("strict was already set");
  }

  /** The refund desk of docs/testing.md. */
  public static final class RefundDesk {
    final AtomicInteger refunds = new AtomicInteger();

    @Tool(name = "refund", description = "Refunds an order")
    public String refund(@ToolParam(name = "orderId") int orderId) {
      refunds.incrementAndGet();
      return "order " + orderId + " refunded";
    }
  }

  @Test
  void aUserTextRuleAnsweringWithAToolCallAnswersOncePerTurnNotAgainOnTheToolResult() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .whenUserMatches(
                "refunds", 10, "refund", ScriptedReply.toolCall("refund", "{\"orderId\": 1001}"))
            .otherwise(
                request -> "Done: " + request.messages().get(request.messages().size() - 1).text())
            .build();
    RefundDesk desk = new RefundDesk();
    Agent agent = Agent.builder().model(model).tools(desk).build();

    assertThat(agent.chat("c1", "Please refund order 1001")).isEqualTo("Done: order 1001 refunded");
    assertThat(desk.refunds).hasValue(1);
    assertThat(model.callCount()).isEqualTo(2);
  }
}
