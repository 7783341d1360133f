package dev.colloquy.test;

import static dev.colloquy.test.ColloquyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.FinishReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedChatModelTest {

  private static ChatRequest ask(String text) {
    return ChatRequest.of(Message.system("Be brief."), Message.user(text));
  }

  @Test
  void servesQueuedRepliesInOrder() {
    ScriptedChatModel model = ScriptedChatModel.builder().reply("one").reply("two").build();

    assertThat(model.chat(ask("a"))).hasText("one").hasFinishReason(FinishReason.STOP);
    assertThat(model.chat(ask("b"))).hasText("two");
    assertThat(model.remainingReplies()).isZero();
  }

  @Test
  void rulesWinOverTheQueueInTheOrderTheyWereAdded() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .whenUserMatches("(?i)hours", "9 to 5")
            .whenUserMatches("(?i)open", "never matched for 'hours'")
            .reply("queued")
            .build();

    assertThat(model.chat(ask("When are you open? Hours?"))).hasText("9 to 5");
    assertThat(model.chat(ask("hello"))).hasText("queued");
  }

  @Test
  void anUnscriptedCallFailsShowingTheRequest() {
    ScriptedChatModel model = ScriptedChatModel.builder().build();

    assertThatThrownBy(() -> model.chat(ask("Where is order 7?")))
        .isInstanceOf(NonRetryableException.class)
        .hasMessage(
            "the scripted model has no reply for call #1 (no rule matched and the queue is empty)."
                + " The request was:\n  system: Be brief.\n  user: Where is order 7?\n  options: ChatOptions{}\n");
  }

  @Test
  void failsOnTheChosenCallAndRecordsIt() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .failOnCall(2, () -> new RetryableException("429 Too Many Requests"))
            .otherwise(request -> "ok")
            .build();

    model.chat(ask("a"));
    assertThatThrownBy(() -> model.chat(ask("b")))
        .isInstanceOf(RetryableException.class)
        .hasMessage("429 Too Many Requests");
    assertThat(model.chat(ask("c"))).hasText("ok");
    assertThat(model.requests())
        .extracting(ChatRequest::lastUserText)
        .containsExactly("a", "b", "c");
    assertThat(model.lastRequest())
        .hasSystemPrompt("Be brief.")
        .hasLastUserText("c")
        .offersNoTools();
  }

  @Test
  void streamsInChunksThatNeverSplitASurrogatePair() {
    ScriptedChatModel model = ScriptedChatModel.builder().reply("ab😀cd").chunkSize(3).build();
    List<String> deltas = new ArrayList<>();

    model.generate(ask("x"), deltas::add, Cancellation.none());

    assertThat(deltas).containsExactly("ab😀", "cd");
  }

  @Test
  void countsWordsAsTokens() {
    ScriptedChatModel model = ScriptedChatModel.builder().reply("one two three").build();

    assertThat(model.chat(ask("four words in here"))).hasUsage(6, 3);
  }

  @Test
  void builderRejectsRepeatedSettings() {
    ScriptedChatModel.Builder builder = ScriptedChatModel.builder().chunkSize(2);

    assertThatThrownBy(() -> builder.chunkSize(3)).hasMessage("chunkSize was already set to 2");
    assertThatThrownBy(() -> ScriptedChatModel.builder().failOnCall(0, IllegalStateException::new))
        .hasMessage("callNumber counts from 1, was 0");
  }

  @Test
  void assertionsExplainWhatDiffered() {
    ScriptedChatModel model = ScriptedChatModel.alwaysReplying("hi");
    model.chat(ask("x"));

    assertThatThrownBy(() -> assertThat(model.lastRequest()).offersTool("refund"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expected tool 'refund' to be offered but the tools were []");
    assertThatThrownBy(() -> assertThat(model.lastRequest()).hasRoles(Message.Role.USER))
        .hasMessageContaining("Expected message roles [USER] but were [SYSTEM, USER]");
  }
}
