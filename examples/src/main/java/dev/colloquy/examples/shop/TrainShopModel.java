package dev.colloquy.examples.shop;

import dev.colloquy.model.local.training.GptTrainer;
import dev.colloquy.model.local.training.TrainingConfig;
import dev.colloquy.model.local.training.TrainingResult;
import java.nio.file.Path;

/**
 * Trains the embedded demo model from scratch. The defaults are the shipped checkpoint's recipe:
 * they rebuild its data, tokenizer and initial weights exactly, and a model of the same quality
 * (PyTorch's threaded CPU kernels round differently from run to run, so the weights drift apart
 * after a few hundred steps; docs/local.md has the figures).
 *
 * <pre>
 * mvn -q -pl examples -am install -DskipTests
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.colloquy.examples.shop.TrainShopModel \
 *     -Dexec.args="--seed 42 --steps 4000 --dialogues 60000 --out examples/src/main/resources/dev/colloquy/examples/shop/model"
 * </pre>
 */
public final class TrainShopModel {

  /** The seed of the shipped model. */
  public static final long SEED = 42;
  /** The optimiser steps of the shipped model. */
  public static final int STEPS = 4000;
  /** The training dialogues of the shipped model. */
  public static final int DIALOGUES = 60000;
  /** AdamW's weight decay for the shipped model. */
  public static final double WEIGHT_DECAY = 0.1;
  /** The dropout rate for the shipped model. */
  public static final double DROPOUT = 0.0;

  private TrainShopModel() {
  }

  /**
   * Runs the training.
   *
   * @param args {@code --seed N --steps N --dialogues N --weight-decay X --dropout X --out DIR}, each optional
   */
  public static void main(String[] args) {
    long seed = SEED;
    int steps = STEPS;
    int dialogues = DIALOGUES;
    double weightDecay = WEIGHT_DECAY;
    double dropout = DROPOUT;
    Path out = Path.of("examples/src/main/resources/dev/colloquy/examples/shop/model");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--steps" -> steps = Integer.parseInt(args[i + 1]);
        case "--dialogues" -> dialogues = Integer.parseInt(args[i + 1]);
        case "--weight-decay" -> weightDecay = Double.parseDouble(args[i + 1]);
        case "--dropout" -> dropout = Double.parseDouble(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + ": expected --seed, --steps, --dialogues, --weight-decay, --dropout or --out");
      }
    }
    TrainingResult result = GptTrainer.train(ShopCorpus.training(seed, dialogues), TrainingConfig.demo(seed, steps, weightDecay, dropout),
        out,
        line -> System.out.println(line));
    System.out.println("trained on " + result.examples() + " dialogues in " + result.took().toSeconds() + " s");
  }
}
