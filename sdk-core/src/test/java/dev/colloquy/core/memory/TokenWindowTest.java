package dev.colloquy.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.fakes.FakeChatModel;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.TokenCounter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenWindowTest {

  // One token per character: budgets in the tests read as character counts.
  private static final TokenCounter CHARS = String::length;

  private static int tokens(List<Message> messages) {
    return messages.stream().mapToInt(CHARS::count).sum();
  }

  @Test
  void keepsTheMostRecentTurnsThatFitTheBudget() {
    ChatMemory memory = ChatMemory.builder().maxTokens(60, CHARS).build();
    for (int i = 0; i < 10; i++) {
      memory.commit("a", List.of(Message.user("question " + i), Message.assistant("answer " + i)));
    }

    List<Message> kept = memory.messages("a");

    assertThat(tokens(kept)).isLessThanOrEqualTo(60);
    // Each message is 4 + 10 (or 8) tokens: four of them fit, a fifth would not.
    assertThat(kept)
        .extracting(Message::text)
        .containsExactly("question 8", "answer 8", "question 9", "answer 9");
    assertThat(memory.maxMessages()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void systemMessagesStayAndCountAgainstTheBudget() {
    ChatMemory memory = ChatMemory.builder().maxTokens(60, CHARS).build();
    memory.commit("a", List.of(Message.system("be brief, please")));
    for (int i = 0; i < 5; i++) {
      memory.commit("a", List.of(Message.user("question " + i), Message.assistant("answer " + i)));
    }

    List<Message> kept = memory.messages("a");

    assertThat(kept.get(0)).isEqualTo(Message.system("be brief, please"));
    assertThat(tokens(kept)).isLessThanOrEqualTo(60);
    assertThat(kept).extracting(Message::text).endsWith("question 4", "answer 4");
  }

  @Test
  void aToolCallAndItsResultsStayOrGoTogether() {
    ChatMemory memory = ChatMemory.builder().maxTokens(120, CHARS).build();
    AssistantMessage call =
        AssistantMessage.ofToolCalls(
            List.of(
                new ToolCall("c1", "lookup", "{\"id\":1}"), new ToolCall("c2", "lookup", "{}")));
    memory.commit(
        "a",
        List.of(
            Message.user("first question"),
            call,
            ToolResultMessage.of(call.toolCalls().get(0), "result one"),
            ToolResultMessage.of(call.toolCalls().get(1), "result two"),
            Message.assistant("first answer")));
    // Tokens from the end: 16 + 16 + 18 + 18 + 20 (+ 10 + 12 for the calls) = the budget lands
    // inside the tool group of the first turn.
    memory.commit(
        "a", List.of(Message.user("second question"), Message.assistant("second answer")));
    memory.commit("a", List.of(Message.user("third question"), Message.assistant("third answer")));

    List<Message> kept = memory.messages("a");

    assertThat(tokens(kept)).isLessThanOrEqualTo(120);
    assertThat(kept).noneMatch(m -> m instanceof ToolResultMessage);
    for (int i = 0; i < kept.size(); i++) {
      if (kept.get(i) instanceof AssistantMessage a && a.hasToolCalls()) {
        assertThat(kept.subList(i + 1, i + 3)).allMatch(m -> m instanceof ToolResultMessage);
      }
    }
  }

  @Test
  void turnRecordsStayBoundedUnderATokenWindow() {
    ChatMemory memory = ChatMemory.builder().maxTokens(60, CHARS).build();
    for (int i = 0; i < 200; i++) {
      memory.commit("a", List.of(Message.user("question " + i), Message.assistant("answer " + i)));
    }

    StoredConversation stored = memory.store().load("a");

    assertThat(stored.turns()).hasSizeLessThanOrEqualTo(stored.messages().size());
  }

  @Test
  void theEstimateCountsNarrowTextByFourAndCjkByOne() {
    TokenCounter estimate = TokenCounter.estimate();

    assertThat(estimate.count("")).isZero();
    assertThat(estimate.count("abcd")).isEqualTo(1);
    assertThat(estimate.count("abcde")).isEqualTo(2);
    assertThat(estimate.count("订单在哪里")).isEqualTo(5);
    assertThat(estimate.count("😀😀")).isEqualTo(2);
    assertThat(estimate.count(Message.user("abcd"))).isEqualTo(1 + TokenCounter.MESSAGE_OVERHEAD);
  }

  @Test
  void droppedTurnsAreReplacedByASummaryMadeFromThePreviousOne() {
    FakeChatModel summaries = new FakeChatModel("cheap").thenReply("S1").thenReply("S2");
    ChatMemory memory =
        ChatMemory.builder().maxMessages(4).summarizer(Summarizer.using(summaries, 64)).build();
    for (int i = 0; i < 4; i++) {
      memory.commit("a", List.of(Message.user("q" + i), Message.assistant("a" + i)));
    }

    List<Message> kept = memory.messages("a");

    assertThat(kept)
        .extracting(Message::text)
        .containsExactly(Summarizer.PREFIX + "S2", "q2", "a2", "q3", "a3");
    assertThat(summaries.calls()).isEqualTo(2);
    String secondPrompt = summaries.requests().get(1).messages().get(1).text();
    assertThat(secondPrompt).contains(Summarizer.PREFIX + "S1", "user: q1", "assistant: a1");
    assertThat(secondPrompt).doesNotContain("q2");
  }

  @Test
  void aFailedSummaryFailsTheCommitAndLeavesTheMemoryAsItWas() {
    FakeChatModel summaries =
        new FakeChatModel("cheap").thenFail(new NonRetryableException("summary model is down"));
    ChatMemory memory =
        ChatMemory.builder().maxMessages(4).summarizer(Summarizer.using(summaries, 64)).build();
    memory.commit("a", List.of(Message.user("q0"), Message.assistant("a0")));
    memory.commit("a", List.of(Message.user("q1"), Message.assistant("a1")));
    StoredConversation before = memory.store().load("a");

    assertThatThrownBy(
            () -> memory.commit("a", List.of(Message.user("q2"), Message.assistant("a2"))))
        .hasMessageContaining("summary model is down");

    assertThat(memory.store().load("a")).isEqualTo(before);
  }

  @Test
  void aSettingMadeTwiceIsRefusedNamingItsFirstValue() {
    assertThatThrownBy(() -> ChatMemory.builder().maxMessages(10).maxMessages(20))
        .hasMessage("maxMessages was already set to 10");
    assertThatThrownBy(() -> ChatMemory.builder().maxTokens(100, CHARS).maxTokens(200, CHARS))
        .hasMessage("maxTokens was already set to 100");
    assertThatThrownBy(() -> ChatMemory.builder().conflictRetries(0).conflictRetries(1))
        .hasMessage("conflictRetries was already set to 0");
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> ChatMemory.builder().maxTokens(8, CHARS))
        .hasMessage("maxTokens must be at least 16, was 8");
    assertThatThrownBy(() -> Summarizer.using(new FakeChatModel("m"), 4))
        .hasMessage("maxTokens must be at least 16, was 4");
  }
}
