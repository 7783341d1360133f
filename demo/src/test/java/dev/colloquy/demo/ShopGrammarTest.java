package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The per-intent customer grammars of issue 19. */
class ShopGrammarTest {

  private static final int DRAWS = 5_000;
  private static final Pattern LATIN_WORD = Pattern.compile("[A-Za-z]+");

  @Test
  void everyIntentHasThousandsOfDistinctPhrasingsInBothLanguages() {
    for (Language language : Language.values()) {
      for (Intent intent : Intent.values()) {
        SplittableRandom random = new SplittableRandom(11);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < DRAWS; i++) {
          distinct.add(Noise.normal(ShopGrammar.sample(random, language, intent)));
        }
        assertThat(distinct).as("%s %s", language, intent).hasSizeGreaterThan(1000);
      }
    }
  }

  @Test
  void theSameSeedDrawsTheSamePhrasings() {
    SplittableRandom a = new SplittableRandom(3);
    SplittableRandom b = new SplittableRandom(3);
    for (int i = 0; i < 500; i++) {
      for (Language language : Language.values()) {
        assertThat(ShopGrammar.sample(a, language, Intent.RETURNS))
            .isEqualTo(ShopGrammar.sample(b, language, Intent.RETURNS));
        assertThat(ShopGrammar.followUp(a, language)).isEqualTo(ShopGrammar.followUp(b, language));
      }
    }
  }

  @Test
  void orderPhrasingsAndFollowUpsCarryTheNumberOnceAndNoOtherPhrasingCarriesANumber() {
    SplittableRandom random = new SplittableRandom(4);
    for (Language language : Language.values()) {
      for (int i = 0; i < DRAWS; i++) {
        for (Intent intent : Intent.values()) {
          String phrasing = ShopGrammar.sample(random, language, intent);
          if (intent == Intent.ORDER_STATUS) {
            assertThat(phrasing.split("\\{id}", -1)).as(phrasing).hasSize(2);
            assertThat(phrasing.replace("{id}", "")).as(phrasing).doesNotContainPattern("[0-9]");
          } else {
            assertThat(phrasing).doesNotContain("{").doesNotContainPattern("[0-9０-９]");
          }
        }
        String followUp = ShopGrammar.followUp(random, language);
        assertThat(followUp.split("\\{id}", -1)).as(followUp).hasSize(2);
      }
    }
  }

  @Test
  void neverDrawsAHeldOutPhrasing() {
    SplittableRandom random = new SplittableRandom(5);
    for (Language language : Language.values()) {
      for (Intent intent : Intent.values()) {
        boolean social = intent == Intent.GREETING || intent == Intent.THANKS_BYE;
        for (int i = 0; i < DRAWS; i++) {
          String phrasing = ShopGrammar.sample(random, language, intent);
          assertThat(ShopGrammar.heldOut(language, intent, phrasing)).as(phrasing).isFalse();
          if (!social) {
            assertThat(
                    DialogueGenerator.isHeldOut(
                        language, intent, phrasing.replace("{id}", "48120")))
                .as(phrasing)
                .isFalse();
          }
        }
      }
    }
  }

  // Code-switching keeps the sentence's language: Chinese sentences with English words carry at
  // least as many Han characters as Latin words; English ones with a Chinese word, more words.
  @Test
  void mixedScriptPhrasingsStayInTheirSentencesLanguage() {
    SplittableRandom random = new SplittableRandom(6);
    int mixed = 0;
    for (Language language : Language.values()) {
      for (Intent intent : Intent.values()) {
        for (int i = 0; i < DRAWS; i++) {
          String phrasing = ShopGrammar.sample(random, language, intent).replace("{id}", "");
          long han =
              phrasing
                  .codePoints()
                  .filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
                  .count();
          long words = LATIN_WORD.matcher(phrasing).results().count();
          if (language == Language.ZH) {
            assertThat(han).as(phrasing).isGreaterThanOrEqualTo(Math.max(1, words));
          } else {
            assertThat(words).as(phrasing).isGreaterThan(han);
          }
          mixed += han > 0 && words > 0 ? 1 : 0;
        }
      }
    }
    assertThat(mixed).isGreaterThan(100);
  }

  @Test
  void chineseOpeningHoursAreAlsoAskedWithWorkingHoursWords() {
    SplittableRandom random = new SplittableRandom(7);
    int working = 0;
    for (int i = 0; i < 2000; i++) {
      working +=
          ShopGrammar.sample(random, Language.ZH, Intent.OPENING_HOURS).contains("上班") ? 1 : 0;
    }
    assertThat(working).isGreaterThan(200);
  }
}
