package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.demo.FrozenEvaluation.Case;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Version 3 of the frozen hand-written evaluation set (issue 19): frozen, big enough in every group
 * and language, well formed, new against versions 1 and 2 and the development set, and disjoint
 * from every phrasing the training generator writes. It was written blind: its writer had seen
 * neither the model's results nor the generator's phrasings.
 */
class FrozenEvaluationSetV3Test {

  // Written on 2026-12-07 before the next training change. It is never edited: a new set is a new
  // file. This pin fails when the file changes.
  private static final String SHA_256 =
      "fa92579f7656d3a3c9a7075adb79debc8b0713a5776737a0234bfa74ede66fe0";

  private static List<Case> cases() {
    return FrozenEvaluation.cases(FrozenEvaluation.V3_RESOURCE);
  }

  @Test
  void theSetIsFrozen() throws IOException, NoSuchAlgorithmException {
    assertThat(FrozenEvaluationSetTest.sha256(FrozenEvaluation.V3_RESOURCE))
        .as("frozen-eval-v3.tsv must never change")
        .isEqualTo(SHA_256);
  }

  @Test
  void everyLanguageHasTheSizesTheIssueAsksFor() {
    FrozenSetChecks.everyLanguageHasAtLeast(
        cases(), new FrozenSetChecks.Minimums(165, 35, 13, 9, 24, 18, 18));
  }

  @Test
  void idsAreUniqueAndNameTheirGroupAndLanguage() {
    FrozenSetChecks.idsAreUniqueAndNameTheirGroupAndLanguage(cases(), "v3");
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
  void noMessageRepeatsOneOfVersions1And2TheDevelopmentSetOrItself() {
    List<Case> earlier = new ArrayList<>(FrozenEvaluation.cases());
    earlier.addAll(FrozenEvaluation.cases(FrozenEvaluation.V2_RESOURCE));
    earlier.addAll(FrozenEvaluation.cases(FrozenEvaluation.DEV_RESOURCE));

    assertThat(FrozenSetChecks.repeats(cases(), earlier)).isEmpty();
  }

  @Test
  void noMessageOfTheSetIsAGeneratorPhrasing() {
    assertThat(FrozenEvaluationSetTest.clashes(cases())).isEmpty();
  }
}
