package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.UserMessage;
import dev.colloquy.demo.FrozenEvaluation.Case;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written sets stay apart from what the training generator writes now that it draws from
 * grammars with millions of phrasings (issue 19): no message of the development or the frozen set
 * (versions 1 to 4) is a generated training message, nor any phrasing of a grammar, beyond case,
 * punctuation, spaces and the numbers in it. Failures name case ids only, so that whoever fixes the
 * generator does not read the frozen set's messages.
 */
class TrainingCorpusOverlapTest {

  private static final int MESSAGES = 20_000;

  @Test
  void noHandWrittenMessageIsOneOf20000GeneratedTrainingMessages() {
    Set<String> generated = new HashSet<>();
    DialogueGenerator generator = DialogueGenerator.forTraining(TrainShopModel.SEED);
    while (generated.size() < MESSAGES) {
      for (Dialogue dialogue : generator.generate(100)) {
        for (Message message : dialogue.messages()) {
          if (message instanceof UserMessage) {
            generated.add(key(message.text()));
          }
        }
      }
    }
    List<String> clashes = new ArrayList<>();
    for (Case c : handWritten()) {
      if (generated.contains(key(c.message())) && !FrozenEvaluationSetTest.bare(c)) {
        clashes.add(c.id());
      }
    }

    assertThat(clashes).isEmpty();
  }

  // The grammars can write some hand-written messages (plain phrasings people type too); the
  // sampler must then refuse every one of them.
  @Test
  void everyHandWrittenMessageAGrammarCanWriteIsRefusedByTheSampler() {
    Map<Language, List<Pattern>> patterns = new EnumMap<>(Language.class);
    for (Language language : Language.values()) {
      List<Pattern> list = new ArrayList<>();
      for (Intent intent : Intent.values()) {
        list.add(ShopGrammar.grammar(language, intent).pattern(Noise::normal));
      }
      list.add(ShopGrammar.followUps(language).pattern(Noise::normal));
      patterns.put(language, list);
    }
    int writable = 0;
    List<String> drawable = new ArrayList<>();
    for (Case c : handWritten()) {
      String message = Noise.normal(c.message());
      if (patterns.get(c.language()).stream().anyMatch(p -> p.matcher(message).matches())) {
        writable++;
        if (!ShopGrammar.handWritten(c.language(), c.message())) {
          drawable.add(c.id());
        }
      }
    }

    assertThat(drawable).isEmpty();
    assertThat(writable).as("the check sees grammar phrasings at all").isPositive();
  }

  @Test
  void theGrammarPatternRecognisesItsOwnPhrasings() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(9);
    for (Language language : Language.values()) {
      for (Intent intent : Intent.values()) {
        Pattern pattern = ShopGrammar.grammar(language, intent).pattern(Noise::normal);
        for (int i = 0; i < 200; i++) {
          String phrasing = ShopGrammar.sample(random, language, intent).replace("{id}", "51234");
          assertThat(pattern.matcher(Noise.normal(phrasing)).matches()).as(phrasing).isTrue();
        }
      }
    }
  }

  private static List<Case> handWritten() {
    List<Case> all = new ArrayList<>(FrozenEvaluation.cases(FrozenEvaluation.DEV_RESOURCE));
    all.addAll(FrozenEvaluation.cases());
    all.addAll(FrozenEvaluation.cases(FrozenEvaluation.V2_RESOURCE));
    all.addAll(FrozenEvaluation.cases(FrozenEvaluation.V3_RESOURCE));
    all.addAll(FrozenEvaluation.cases(FrozenEvaluation.V4_RESOURCE));
    return all;
  }

  // Case, punctuation and spaces dropped; every run of digits counts as the same number.
  private static String key(String text) {
    return Noise.normal(text).replaceAll("[0-9０-９]+", "#");
  }
}
