package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.demo.FrozenEvaluation.Case;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Version 2 of the frozen hand-written evaluation set (issue 19): frozen, big enough in every group
 * and language, well formed, new against version 1 and the development set, and disjoint from every
 * phrasing the training generator writes.
 */
class FrozenEvaluationSetV2Test {

  // Written on 2026-12-07 before any further training change. It is never edited: a new set is a
  // new file. This pin fails when the file changes.
  private static final String SHA_256 =
      "05dc82f6c45f8775e62d7058b3c7fb360351c2a7309a32ade501df124f777d9f";

  private static List<Case> cases() {
    return FrozenEvaluation.cases(FrozenEvaluation.V2_RESOURCE);
  }

  @Test
  void theSetIsFrozen() throws IOException, NoSuchAlgorithmException {
    assertThat(FrozenEvaluationSetTest.sha256(FrozenEvaluation.V2_RESOURCE))
        .as("frozen-eval-v2.tsv must never change")
        .isEqualTo(SHA_256);
  }

  @Test
  void everyLanguageHasTheSizesTheIssueAsksFor() {
    FrozenSetChecks.everyLanguageHasAtLeast(
        cases(), new FrozenSetChecks.Minimums(160, 30, 12, 8, 22, 14, 14));
  }

  @Test
  void idsAreUniqueAndNameTheirGroupAndLanguage() {
    FrozenSetChecks.idsAreUniqueAndNameTheirGroupAndLanguage(cases(), "v2");
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
  void noMessageRepeatsOneOfVersion1TheDevelopmentSetOrItself() {
    List<Case> earlier = new ArrayList<>(FrozenEvaluation.cases());
    earlier.addAll(FrozenEvaluation.cases(FrozenEvaluation.DEV_RESOURCE));

    assertThat(FrozenSetChecks.repeats(cases(), earlier)).isEmpty();
  }

  @Test
  void noMessageOfTheSetIsAGeneratorPhrasing() {
    assertThat(FrozenEvaluationSetTest.clashes(cases())).isEmpty();
  }
}
