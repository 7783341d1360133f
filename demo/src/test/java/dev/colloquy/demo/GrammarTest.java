package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GrammarTest {

  private static final Map<String, String> SLOTS = Map.of("greet", "hi|hello", "who", "| there");

  @Test
  void expandsEveryCombinationOfNestedChoicesAndSlots() {
    Grammar grammar = Grammar.of(SLOTS, List.of("<greet><who>(!|)", "(good (morning|day)|bye)"));

    assertThat(grammar.derivations()).isEqualTo(11);
    assertThat(grammar.expand(100))
        .containsExactlyInAnyOrder(
            "hi!",
            "hi",
            "hi there!",
            "hi there",
            "hello!",
            "hello",
            "hello there!",
            "hello there",
            "good morning",
            "good day",
            "bye");
  }

  @Test
  void samplesOnlyPhrasingsItCanExpandToAndReachesThemAll() {
    Grammar grammar = Grammar.of(SLOTS, List.of("<greet><who>(!|)", "(good (morning|day)|bye)"));
    Set<String> all = new HashSet<>(grammar.expand(100));
    SplittableRandom random = new SplittableRandom(5);
    Set<String> drawn = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      drawn.add(grammar.sample(random));
    }

    assertThat(drawn).isEqualTo(all);
  }

  @Test
  void aBackslashMakesParenthesesPlainText() {
    Grammar grammar = Grammar.of(Map.of(), List.of("thanks( \\:\\)| \\(really\\))"));

    assertThat(grammar.expand(10)).containsExactlyInAnyOrder("thanks :)", "thanks (really)");
  }

  @Test
  void tidiesTheSpacesThatEmptyChoicesLeave() {
    Grammar grammar = Grammar.of(Map.of(), List.of("(|so) where is (my|) order ,(| ok)"));

    assertThat(grammar.expand(10))
        .containsExactlyInAnyOrder(
            "where is my order,",
            "where is my order, ok",
            "where is order,",
            "where is order, ok",
            "so where is my order,",
            "so where is my order, ok",
            "so where is order,",
            "so where is order, ok");
  }

  @Test
  void thePatternMatchesEveryPhrasingNormalisedWithAnyNumberAndNothingElse() {
    Grammar grammar =
        Grammar.of(SLOTS, List.of("<greet>, where is (order|parcel) {id}(?|!)", "(ok|) bye"));

    for (String phrasing : grammar.expand(100)) {
      assertThat(
              grammar
                  .pattern(Noise::normal)
                  .matcher(Noise.normal(phrasing.replace("{id}", "40213")))
                  .matches())
          .as(phrasing)
          .isTrue();
    }
    assertThat(grammar.pattern(Noise::normal).matcher("hiwhereisorder").matches()).isFalse();
    assertThat(grammar.pattern(Noise::normal).matcher("hiwhereisbox12345").matches()).isFalse();
    assertThat(grammar.pattern(Noise::normal).matcher("okbye").matches()).isTrue();
  }

  @Test
  void rejectsAnUnknownSlotAndUnbalancedParentheses() {
    assertThatThrownBy(() -> Grammar.of(SLOTS, List.of("<nope> there")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("<nope>");
    assertThatThrownBy(() -> Grammar.of(SLOTS, List.of("(hi|hello")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unclosed");
    assertThatThrownBy(() -> Grammar.of(SLOTS, List.of("hi)")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unbalanced");
  }

  @Test
  void refusesToListMoreThanTheLimit() {
    Grammar grammar = Grammar.of(Map.of(), List.of("(a|b|c)(d|e|f)"));

    assertThatThrownBy(() -> grammar.expand(8)).isInstanceOf(IllegalStateException.class);
    assertThat(grammar.expand(9)).hasSize(9);
  }
}
