package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.message.ToolCall;
import dev.colloquy.demo.FrozenEvaluation.Case;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written development set (issue 19): the set used to choose between models, seeds and
 * data changes, so that the frozen set only reports. Like the frozen set, none of its messages is a
 * phrasing the training generator writes.
 */
class DevEvaluationSetTest {

  private static final List<Case> CASES = FrozenEvaluation.cases(FrozenEvaluation.DEV_RESOURCE);

  @Test
  void theSetCoversEveryIntentInBothLanguages() {
    for (Language language : Language.values()) {
      List<Case> single =
          CASES.stream()
              .filter(c -> c.group().equals("single") && c.language() == language)
              .toList();
      assertThat(single).hasSizeGreaterThanOrEqualTo(60);
      assertThat(single.stream().map(c -> c.expectation().replaceAll(":\\d+", "")).distinct())
          .hasSize(Intent.values().length);
      assertThat(
              CASES.stream()
                  .filter(c -> c.group().equals("dialogue") && c.language() == language)
                  .map(Case::conversation)
                  .distinct())
          .hasSizeGreaterThanOrEqualTo(10);
      assertThat(
              CASES.stream()
                  .filter(
                      c ->
                          c.language() == language
                              && (c.group().equals("off-domain")
                                  || c.group().equals("adversarial"))))
          .hasSizeGreaterThanOrEqualTo(20);
    }
    assertThat(CASES.stream().map(Case::id).distinct()).hasSize(CASES.size());
  }

  @Test
  void everyExpectationNamesAnIntentOrAnExistingOrder() {
    for (Case c : CASES) {
      assertThat(c.group()).isIn("single", "dialogue", "off-domain", "adversarial");
      if (c.expectation().equals(FrozenEvaluation.NO_TOOL)) {
        continue;
      }
      for (String part : c.expectation().split("\\+")) {
        if (part.startsWith("ORDER_STATUS:")) {
          assertThat(part).matches("ORDER_STATUS:[1-9][0-9]{4}");
        } else {
          assertThat(Intent.valueOf(part)).isNotEqualTo(Intent.ORDER_STATUS);
        }
      }
    }
  }

  @Test
  void noMessageOfTheSetIsAGeneratorPhrasing() {
    assertThat(FrozenEvaluationSetTest.clashes(CASES)).isEmpty();
  }

  @Test
  void twoQuestionsInOneMessageWantBothAnswersInOrder() {
    Case two =
        new Case("t", "adversarial", Language.EN, "ORDER_STATUS:55123+OPENING_HOURS", "x and y");
    ToolCall call = new ToolCall("c1", "orderStatus", "{\"orderId\":55123}");
    String both =
        FrozenEvaluation.orderAnswer(Language.EN, 55123)
            + " "
            + Phrases.answer(Language.EN, Intent.OPENING_HOURS);

    assertThat(FrozenEvaluation.failures(two, List.of(call), both)).isEmpty();
    assertThat(
            FrozenEvaluation.failures(
                two, List.of(call), FrozenEvaluation.orderAnswer(Language.EN, 55123)))
        .isNotEmpty();
    assertThat(FrozenEvaluation.failures(two, List.of(), both)).isNotEmpty();
  }
}
