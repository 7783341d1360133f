package dev.colloquy.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.resilience.ResiliencePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One Sleeper across the project: the test kit's fake clock is what core's policies wait on. */
class FakeClockTest {

  @Test
  void aPolicyBacksOffOnTheFakeClockInsteadOfTheWallClock() {
    FakeClock clock = FakeClock.create();
    ScriptedChatModel flaky =
        ScriptedChatModel.builder()
            .reply(ScriptedReply.rateLimited(Duration.ofSeconds(30)))
            .reply("ok")
            .build();
    ChatModel model =
        ResiliencePolicy.builder().maxAttempts(2).sleeper(clock).build().decorate("flaky", flaky);

    assertThat(model.chat(ChatRequest.of(Message.user("hi"))).text()).isEqualTo("ok");
    assertThat(clock.totalSlept()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aCancelledWaitStopsBeforeTheClockMoves() {
    FakeClock clock = FakeClock.create();
    Cancellation cancellation = Cancellation.create();
    cancellation.cancel();

    assertThatThrownBy(() -> clock.sleep(Duration.ofMinutes(5), cancellation))
        .isInstanceOf(CancelledException.class);
    assertThat(clock.totalSlept()).isZero();
  }
}
