package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.Summarizer;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.TokenCounter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent file's memory policies: message window, token budget, summaries. */
class MemoryPolicyTest {

  private static Definitions compile(String memoryLine, Bindings bindings) {
    return Definitions.compile(
        List.of(
            new Source(
                "agent.colloquy",
                """
                agent support {
                  model "shop-model"
                  %s
                }
                """
                    .formatted(memoryLine))),
        bindings);
  }

  @Test
  void aTokenBudgetKeepsWhatFitsCountedWithTheModelsCounter() {
    Definitions d =
        compile("memory tokens 100", Fixtures.bindings(new Fixtures.RecordingModel("ok")));
    Agent agent = d.agent("support");
    for (int i = 0; i < 30; i++) {
      agent.chat("c", "question number " + i);
    }

    List<Message> kept = agent.memory().messages("c");

    int used = kept.stream().mapToInt(TokenCounter.estimate()::count).sum();
    assertThat(used).isLessThanOrEqualTo(100);
    assertThat(kept).hasSizeGreaterThan(2).hasSizeLessThan(60);
    assertThat(kept.get(kept.size() - 2).text()).isEqualTo("question number 29");
    assertThat(agent.memory().maxTokens()).isEqualTo(100);
    assertThat(agent.memory().maxMessages()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aWindowWithSummariesAsksTheNamedModel() {
    Fixtures.RecordingModel cheap = new Fixtures.RecordingModel("the customer asked about order 7");
    Bindings bindings =
        Bindings.builder()
            .model("shop-model", new Fixtures.RecordingModel("ok"))
            .model("cheap", cheap)
            .build();
    Agent agent = compile("memory window 4 summarize \"cheap\"", bindings).agent("support");
    for (int i = 0; i < 3; i++) {
      agent.chat("c", "q" + i);
    }

    List<Message> kept = agent.memory().messages("c");

    assertThat(kept.get(0).text())
        .isEqualTo(Summarizer.PREFIX + "the customer asked about order 7");
    assertThat(kept).extracting(Message::text).endsWith("q1", "ok", "q2", "ok");
    assertThat(cheap.requests).hasSize(1);
  }

  @Test
  void anUnknownSummarizingModelIsAnErrorAtTheSetting() {
    DslException e =
        catchThrowableOfType(
            DslException.class,
            () -> compile("memory window 4 summarize \"chepa\"", Fixtures.bindings()));

    assertThat(e.getMessage()).contains("unknown model `chepa`", "agent.colloquy:3:");
  }

  @Test
  void thePolicyPrintsBackAsWritten() {
    for (String line :
        List.of(
            "memory window 20",
            "memory tokens 3000",
            "memory window 40 tokens 3000 summarize \"cheap\"",
            "memory tokens 500 summarize \"cheap\"")) {
      String source = "agent a {\n  model \"m\"\n  " + line + "\n}\n";

      assertThat(Dsl.print(Dsl.parse("a.colloquy", source))).contains(line);
    }
  }

  @Test
  void aPolicyNeedsAWindowOrABudgetAndEachClauseOnce() {
    for (String line :
        List.of("memory summarize \"cheap\"", "memory window 4 window 5", "memory")) {
      DslException e =
          catchThrowableOfType(DslException.class, () -> compile(line, Fixtures.bindings()));

      assertThat(e).as(line).isNotNull();
    }
  }
}
