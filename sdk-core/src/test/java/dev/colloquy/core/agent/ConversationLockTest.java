package dev.colloquy.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.fakes.FakeChatModel;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.TokenUsage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waiting for a busy conversation obeys the waiting turn's cancellation and deadline: the turn
 * fails at once with the usual error and leaves memory alone.
 */
class ConversationLockTest {

  private static final Duration GENEROUS = Duration.ofSeconds(10);

  private final ChatMemory memory = ChatMemory.window(20);
  private final CountDownLatch firstTurnInModel = new CountDownLatch(1);
  private final CountDownLatch releaseFirstTurn = new CountDownLatch(1);
  private FakeChatModel secondModel;
  private CompletableFuture<String> firstTurn;

  @BeforeEach
  void aFirstTurnHoldsTheConversation() throws InterruptedException {
    FakeChatModel slow =
        new FakeChatModel("slow")
            .then(
                (request, stream, cancellation) -> {
                  firstTurnInModel.countDown();
                  try {
                    releaseFirstTurn.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return FakeChatModel.response(
                      "slow", "first answer", FinishReason.STOP, TokenUsage.ZERO);
                });
    Agent holder = Agent.builder().model(slow).memory(memory).build();
    firstTurn = CompletableFuture.supplyAsync(() -> holder.chat("c1", "first question"));
    assertThat(firstTurnInModel.await(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
    secondModel = new FakeChatModel("second").thenReply("second answer");
  }

  @AfterEach
  void theFirstTurnCommitsAloneWhateverTheSecondDid() {
    releaseFirstTurn.countDown();
    assertThat(firstTurn).succeedsWithin(GENEROUS).isEqualTo("first answer");
    assertThat(memory.messages("c1"))
        .extracting(Message::text)
        .containsExactly("first question", "first answer");
    assertThat(secondModel.calls()).isZero();
  }

  private CompletableFuture<Reply> secondTurn(Agent agent, Turn turn) {
    return CompletableFuture.supplyAsync(() -> agent.run(turn));
  }

  @Test
  void anAlreadyCancelledTurnOnABusyConversationFailsAtOnce() {
    Cancellation cancellation = Cancellation.create();
    cancellation.cancel();
    Agent agent = Agent.builder().model(secondModel).memory(memory).build();

    CompletableFuture<Reply> second =
        secondTurn(agent, Turn.of("c1", "second question").withCancellation(cancellation));

    // Before the fix it waited for the first turn to end, which here is never.
    assertThat(second)
        .failsWithin(GENEROUS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(CancelledException.class)
        .withMessageContaining("the call was cancelled by its caller");
  }

  @Test
  void aTurnCancelledWhileWaitingForTheConversationStopsWaiting() {
    Cancellation cancellation = Cancellation.create();
    Agent agent = Agent.builder().model(secondModel).memory(memory).build();

    CompletableFuture<Reply> second =
        secondTurn(agent, Turn.of("c1", "second question").withCancellation(cancellation));
    cancellation.cancel();

    assertThat(second)
        .failsWithin(GENEROUS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(CancelledException.class);
  }

  @Test
  void aTurnWhoseDeadlinePassesWhileWaitingFailsWithTheDeadlineError() {
    Agent agent =
        Agent.builder()
            .model(secondModel)
            .memory(memory)
            .turnDeadline(Duration.ofMillis(200))
            .build();

    CompletableFuture<Reply> second = secondTurn(agent, Turn.of("c1", "second question"));

    assertThat(second)
        .failsWithin(GENEROUS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(TurnDeadlineExceededException.class)
        .withMessageContaining(
            "ran past its deadline of 200 ms and was stopped; nothing was committed");
  }
}
