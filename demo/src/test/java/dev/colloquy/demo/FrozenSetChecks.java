package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.demo.FrozenEvaluation.Case;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The checks every hand-written set from version 2 on passes, shared by their tests. */
final class FrozenSetChecks {

  private static final String ORDER = "ORDER_STATUS:[1-9][0-9]{4}";

  private FrozenSetChecks() {}

  static List<Case> inGroup(List<Case> cases, String group) {
    return cases.stream().filter(c -> c.group().equals(group)).toList();
  }

  /** The dialogues by conversation id, turns in file order. */
  static Map<String, List<Case>> dialogues(List<Case> cases) {
    Map<String, List<Case>> dialogues = new LinkedHashMap<>();
    for (Case c : inGroup(cases, "dialogue")) {
      dialogues.computeIfAbsent(c.conversation(), k -> new ArrayList<>()).add(c);
    }
    return dialogues;
  }

  /** The least a set holds per language; single messages of an intent other than orders. */
  record Minimums(
      int single,
      int orders,
      int perIntent,
      int twoQuestions,
      int dialogues,
      int offDomain,
      int adversarial) {}

  static void everyLanguageHasAtLeast(List<Case> cases, Minimums least) {
    for (Language language : Language.values()) {
      List<Case> mine = cases.stream().filter(c -> c.language() == language).toList();
      List<Case> single = inGroup(mine, "single");
      Map<String, Integer> byExpectation = new HashMap<>();
      single.forEach(
          c -> byExpectation.merge(c.expectation().replaceAll(":\\d+", ""), 1, Integer::sum));

      assertThat(single).as(language + " single").hasSizeGreaterThanOrEqualTo(least.single());
      for (Intent intent : Intent.values()) {
        assertThat(byExpectation.getOrDefault(intent.name(), 0))
            .as(language + " " + intent)
            .isGreaterThanOrEqualTo(
                intent == Intent.ORDER_STATUS ? least.orders() : least.perIntent());
      }
      assertThat(single.stream().filter(c -> c.expectation().contains("+")))
          .as(language + " two questions")
          .hasSizeGreaterThanOrEqualTo(least.twoQuestions());
      assertThat(dialogues(mine))
          .as(language + " dialogues")
          .hasSizeGreaterThanOrEqualTo(least.dialogues());
      assertThat(inGroup(mine, "off-domain"))
          .as(language + " off-domain")
          .hasSizeGreaterThanOrEqualTo(least.offDomain());
      assertThat(inGroup(mine, "adversarial"))
          .as(language + " adversarial")
          .hasSizeGreaterThanOrEqualTo(least.adversarial());
    }
  }

  /** Ids are unique and read {@code PREFIX-LANGUAGE-GROUPLETTER} then a number or turn. */
  static void idsAreUniqueAndNameTheirGroupAndLanguage(List<Case> cases, String prefix) {
    assertThat(cases.stream().map(Case::id).distinct()).hasSize(cases.size());
    Map<String, String> letters =
        Map.of("single", "s", "off-domain", "o", "adversarial", "a", "dialogue", "d");
    for (Case c : cases) {
      assertThat(c.group()).isIn(letters.keySet());
      String language = c.language().name().toLowerCase(Locale.ROOT);
      String number = c.group().equals("dialogue") ? "[0-9]{2}/[1-4]" : "[0-9]{3}";
      assertThat(c.id()).matches(prefix + "-" + language + "-" + letters.get(c.group()) + number);
    }
  }

  static void dialoguesHaveTwoToFourTurnsNumberedInOrder(List<Case> cases) {
    for (Map.Entry<String, List<Case>> dialogue : dialogues(cases).entrySet()) {
      List<Case> turns = dialogue.getValue();
      assertThat(turns).as(dialogue.getKey()).hasSizeBetween(2, 4);
      for (int i = 0; i < turns.size(); i++) {
        assertThat(turns.get(i).id()).isEqualTo(dialogue.getKey() + "/" + (i + 1));
      }
    }
  }

  static void everyExpectationIsWellFormedAndEveryMessageTrimmed(List<Case> cases) {
    List<String> names = new ArrayList<>();
    for (Intent intent : Intent.values()) {
      if (intent != Intent.ORDER_STATUS) {
        names.add(intent.name());
      }
    }
    String one = ORDER + "|" + String.join("|", names);
    for (Case c : cases) {
      assertThat(c.expectation())
          .as(c.id())
          .matches(FrozenEvaluation.NO_TOOL + "|(" + one + ")(\\+(" + one + "))?");
      assertThat(c.message()).as(c.id()).isNotBlank().isEqualTo(c.message().strip());
    }
  }

  /** The cases whose message repeats one of {@code earlier} or of the set, as "id = earlier id". */
  static List<String> repeats(List<Case> cases, List<Case> earlier) {
    Map<String, String> seen = new HashMap<>();
    for (Case c : earlier) {
      seen.put(c.language() + normal(c.message()), c.id());
    }
    List<String> repeats = new ArrayList<>();
    for (Case c : cases) {
      String previous = seen.putIfAbsent(c.language() + normal(c.message()), c.id());
      if (previous != null) {
        repeats.add(c.id() + " = " + previous);
      }
    }
    return repeats;
  }

  // Case, punctuation, symbols (emoji included) and spaces dropped.
  private static String normal(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[\\p{P}\\p{S}\\s]", "");
  }
}
