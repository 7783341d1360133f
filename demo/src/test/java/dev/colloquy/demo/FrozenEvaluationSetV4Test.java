package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.demo.FrozenEvaluation.Case;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Version 4 of the frozen hand-written evaluation set (issue 19): frozen, big enough in every group
 * and language, well formed, new against versions 1 to 3 and the development set, and disjoint from
 * every phrasing the training generator writes. It was written blind: its writer had seen neither
 * the model's results, nor the generator's phrasings, nor the development set.
 */
class FrozenEvaluationSetV4Test {

  // Written on 2026-12-07 before the next training change. It is never edited: a new set is a new
  // file. This pin fails when the file changes.
  private static final String SHA_256 =
      "6acf75bb4f48f18cbc1fa9aa696316adee56c25c8685b6d04c730956d2574586";

  private static List<Case> cases() {
    return FrozenEvaluation.cases(FrozenEvaluation.V4_RESOURCE);
  }

  @Test
  void theSetIsFrozen() throws IOException, NoSuchAlgorithmException {
    assertThat(FrozenEvaluationSetTest.sha256(FrozenEvaluation.V4_RESOURCE))
        .as("frozen-eval-v4.tsv must never change")
        .isEqualTo(SHA_256);
  }

  @Test
  void everyLanguageHasTheSizesTheIssueAsksFor() {
    FrozenSetChecks.everyLanguageHasAtLeast(
        cases(), new FrozenSetChecks.Minimums(170, 40, 15, 10, 25, 20, 20));
  }

  @Test
  void idsAreUniqueAndNameTheirGroupAndLanguage() {
    FrozenSetChecks.idsAreUniqueAndNameTheirGroupAndLanguage(cases(), "v4");
  }

  @Test
  void dialoguesHaveTwoToFourTurnsNumberedInOrder() {
    FrozenSetChecks.dialoguesHaveTwoToFourTurnsNumberedInOrder(cases());
  }

  @Test
  void everyExpectationIsAnOrderAnIntentNoToolOrTwoOfThemAndEveryMessageIsTrimmed() {
    FrozenSetChecks.everyExpectationIsWellFormedAndEveryMessageTrimmed(cases());
  }

  @Test
  void noMessageRepeatsOneOfVersions1To3TheDevelopmentSetOrItself() {
    List<Case> earlier = new ArrayList<>(FrozenEvaluation.cases());
    earlier.addAll(FrozenEvaluation.cases(FrozenEvaluation.V2_RESOURCE));
    earlier.addAll(FrozenEvaluation.cases(FrozenEvaluation.V3_RESOURCE));
    earlier.addAll(FrozenEvaluation.cases(FrozenEvaluation.DEV_RESOURCE));

    assertThat(FrozenSetChecks.repeats(cases(), earlier)).isEmpty();
  }

  @Test
  void noMessageOfTheSetIsAGeneratorPhrasing() {
    assertThat(FrozenEvaluationSetTest.clashes(cases())).isEmpty();
  }
}
