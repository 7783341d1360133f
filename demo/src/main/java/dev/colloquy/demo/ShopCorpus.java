package dev.colloquy.demo;

import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.trainer.TrainingExample;
import java.util.ArrayList;
import java.util.List;

/** The demo model's training data: generated dialogues with the shop's tools described. */
public final class ShopCorpus {

  private ShopCorpus() {}

  /**
   * Writes training examples.
   *
   * @param seed the generator's seed
   * @param count how many dialogues
   * @return the dialogues as training examples, languages alternating, held-out phrasings excluded
   */
  public static List<TrainingExample> training(long seed, int count) {
    List<ToolSpecification> tools = ShopAgent.tools();
    List<TrainingExample> examples = new ArrayList<>(count);
    for (Dialogue dialogue : DialogueGenerator.forTraining(seed).generate(count)) {
      examples.add(new TrainingExample(dialogue.messages(), tools));
    }
    return examples;
  }
}
