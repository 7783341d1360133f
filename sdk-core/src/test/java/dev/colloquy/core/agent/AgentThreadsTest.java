package dev.colloquy.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.fakes.FakeChatModel;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.tool.ToolDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Agents hold no thread of their own: building and dropping them leaks nothing. */
class AgentThreadsTest {

  private static final ToolDefinition CLOCK =
      ToolDefinition.builder("clock").handler((arguments, context) -> "noon").build();

  // A turn that calls the tool once, then answers.
  private static FakeChatModel model() {
    return new FakeChatModel("m")
        .then(
            (request, stream, cancellation) ->
                new ChatResponse(
                    AssistantMessage.ofToolCalls(List.of(new ToolCall("call-1", "clock", "{}"))),
                    FinishReason.TOOL_CALLS,
                    TokenUsage.ZERO,
                    "m"))
        .thenReply("it is noon");
  }

  private static Agent agent() {
    return Agent.builder().model(model()).tools(CLOCK).turnDeadline(Duration.ofMinutes(1)).build();
  }

  private static int liveThreads() {
    return Thread.getAllStackTraces().size();
  }

  @Test
  void aThousandAgentsWithADeadlineBuiltAndDroppedLeaveNoThreadsBehind() {
    // Starts whatever shared threads a turn needs, once.
    assertThat(agent().chat("c", "what time is it?")).isEqualTo("it is noon");
    int before = liveThreads();

    for (int i = 0; i < 1_000; i++) {
      Agent agent = agent();
      if (i % 10 == 0) {
        assertThat(agent.chat("c", "what time is it?")).isEqualTo("it is noon");
      }
    }

    // Before the fix each agent that ran a turn kept a timer thread (and its toolbox a pool
    // thread).
    assertThat(liveThreads()).isLessThanOrEqualTo(before + 5);
  }

  @Test
  void theSharedTimerStillStopsATurnAtItsDeadline() {
    FakeChatModel hangs =
        new FakeChatModel("m")
            .then(
                (request, stream, cancellation) -> {
                  CountDownLatch cancelled = new CountDownLatch(1);
                  cancellation.onCancel(cancelled::countDown);
                  try {
                    cancelled.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  cancellation.throwIfCancelled();
                  throw new IllegalStateException("not cancelled");
                });
    Agent agent = Agent.builder().model(hangs).turnDeadline(Duration.ofMillis(100)).build();

    assertThatThrownBy(() -> agent.chat("c", "hello"))
        .isInstanceOf(TurnDeadlineExceededException.class)
        .hasMessage(
            "the turn of conversation 'c' ran past its deadline of 100 ms and was stopped; nothing was committed");
    assertThat(agent.memory().messages("c")).isEmpty();
  }
}
