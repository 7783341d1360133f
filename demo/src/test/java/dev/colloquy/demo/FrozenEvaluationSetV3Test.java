package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.demo.FrozenEvaluation.Case;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  private static final String ORDER = "ORDER_STATUS:[1-9][0-9]{4}";

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
    for (Language language : Language.values()) {
      List<Case> mine = cases().stream().filter(c -> c.language() == language).toList();
      List<Case> single = inGroup(mine, "single");
      Map<String, Integer> byExpectation = new HashMap<>();
      single.forEach(
          c -> byExpectation.merge(c.expectation().replaceAll(":\\d+", ""), 1, Integer::sum));

      assertThat(single).as(language + " single").hasSizeGreaterThanOrEqualTo(165);
      for (Intent intent : Intent.values()) {
        assertThat(byExpectation.getOrDefault(intent.name(), 0))
            .as(language + " " + intent)
            .isGreaterThanOrEqualTo(intent == Intent.ORDER_STATUS ? 35 : 13);
      }
      assertThat(single.stream().filter(c -> c.expectation().contains("+")))
          .as(language + " two questions")
          .hasSizeGreaterThanOrEqualTo(9);
      assertThat(dialogues(mine)).as(language + " dialogues").hasSizeGreaterThanOrEqualTo(24);
      assertThat(inGroup(mine, "off-domain"))
          .as(language + " off-domain")
          .hasSizeGreaterThanOrEqualTo(18);
      assertThat(inGroup(mine, "adversarial"))
          .as(language + " adversarial")
          .hasSizeGreaterThanOrEqualTo(18);
    }
  }

  @Test
  void idsAreUniqueAndNameTheirGroupAndLanguage() {
    List<Case> cases = cases();

    assertThat(cases.stream().map(Case::id).distinct()).hasSize(cases.size());
    Map<String, String> letters =
        Map.of("single", "s", "off-domain", "o", "adversarial", "a", "dialogue", "d");
    for (Case c : cases) {
      assertThat(c.group()).isIn(letters.keySet());
      String language = c.language().name().toLowerCase(Locale.ROOT);
      String number = c.group().equals("dialogue") ? "[0-9]{2}/[1-4]" : "[0-9]{3}";
      assertThat(c.id()).matches("v3-" + language + "-" + letters.get(c.group()) + number);
    }
  }

  @Test
  void dialoguesHaveTwoToFourTurnsNumberedInOrder() {
    for (Map.Entry<String, List<Case>> dialogue : dialogues(cases()).entrySet()) {
      List<Case> turns = dialogue.getValue();
      assertThat(turns).as(dialogue.getKey()).hasSizeBetween(2, 4);
      for (int i = 0; i < turns.size(); i++) {
        assertThat(turns.get(i).id()).isEqualTo(dialogue.getKey() + "/" + (i + 1));
      }
    }
  }

  @Test
  void everyExpectationIsAnOrderAnIntentNoToolOrTwoOfThemAndEveryMessageIsTrimmed() {
    String one = ORDER + "|" + String.join("|", intentNamesButOrderStatus());
    for (Case c : cases()) {
      assertThat(c.expectation())
          .as(c.id())
          .matches(FrozenEvaluation.NO_TOOL + "|(" + one + ")(\\+(" + one + "))?");
      assertThat(c.message()).as(c.id()).isNotBlank().isEqualTo(c.message().strip());
    }
  }

  @Test
  void noMessageRepeatsOneOfVersions1And2TheDevelopmentSetOrItself() {
    Map<String, String> seen = new HashMap<>();
    List<Case> earlier = new ArrayList<>(FrozenEvaluation.cases());
    earlier.addAll(FrozenEvaluation.cases(FrozenEvaluation.V2_RESOURCE));
    earlier.addAll(FrozenEvaluation.cases(FrozenEvaluation.DEV_RESOURCE));
    for (Case c : earlier) {
      seen.put(c.language() + normal(c.message()), c.id());
    }
    List<String> repeats = new ArrayList<>();
    for (Case c : cases()) {
      String previous = seen.putIfAbsent(c.language() + normal(c.message()), c.id());
      if (previous != null) {
        repeats.add(c.id() + " = " + previous);
      }
    }

    assertThat(repeats).isEmpty();
  }

  @Test
  void noMessageOfTheSetIsAGeneratorPhrasing() {
    assertThat(FrozenEvaluationSetTest.clashes(cases())).isEmpty();
  }

  private static List<Case> inGroup(List<Case> cases, String group) {
    return cases.stream().filter(c -> c.group().equals(group)).toList();
  }

  private static Map<String, List<Case>> dialogues(List<Case> cases) {
    Map<String, List<Case>> dialogues = new LinkedHashMap<>();
    for (Case c : inGroup(cases, "dialogue")) {
      dialogues.computeIfAbsent(c.conversation(), k -> new ArrayList<>()).add(c);
    }
    return dialogues;
  }

  private static List<String> intentNamesButOrderStatus() {
    List<String> names = new ArrayList<>();
    for (Intent intent : Intent.values()) {
      if (intent != Intent.ORDER_STATUS) {
        names.add(intent.name());
      }
    }
    return names;
  }

  // Case, punctuation, symbols (emoji included) and spaces dropped.
  private static String normal(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[\\p{P}\\p{S}\\s]", "");
  }
}
