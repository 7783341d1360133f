package dev.colloquy.demo;

import dev.colloquy.trainer.GptTrainer;
import dev.colloquy.trainer.TrainingConfig;
import dev.colloquy.trainer.TrainingResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the embedded demo model from scratch. The defaults are the shipped checkpoint's recipe:
 * they rebuild its data, tokenizer and initial weights exactly, and a model of the same quality
 * (PyTorch's threaded CPU kernels round differently from run to run, so the weights drift apart
 * after a few hundred steps; docs/local.md has the figures).
 *
 * <pre>
 * mvn -q -pl demo -am install -DskipTests
 * mvn -q -pl demo exec:java -Dexec.mainClass=dev.colloquy.demo.TrainShopModel \
 *     -Dexec.args="--seed 42 --steps 9000 --dialogues 150000 --out demo/src/main/resources/dev/colloquy/demo/model"
 * </pre>
 */
@Command(
    name = "train-shop-model",
    mixinStandardHelpOptions = true,
    description = "Trains the embedded demo model from scratch.")
public final class TrainShopModel implements Callable<Integer> {

  /** The seed of the shipped model. */
  public static final long SEED = 42;

  /** The optimiser steps of the shipped model. */
  public static final int STEPS = 9000;

  /** The training dialogues of the shipped model. */
  public static final int DIALOGUES = 150000;

  /** AdamW's weight decay for the shipped model. */
  public static final double WEIGHT_DECAY = 0.1;

  /** The dropout rate for the shipped model. */
  public static final double DROPOUT = 0.0;

  @Option(
      names = "--seed",
      description = "Seed of the data, weights and batch order (default ${DEFAULT-VALUE}).")
  long seed = SEED;

  @Option(names = "--steps", description = "Optimiser steps (default ${DEFAULT-VALUE}).")
  int steps = STEPS;

  @Option(names = "--dialogues", description = "Training dialogues (default ${DEFAULT-VALUE}).")
  int dialogues = DIALOGUES;

  @Option(
      names = "--weight-decay",
      description = "AdamW's weight decay (default ${DEFAULT-VALUE}).")
  double weightDecay = WEIGHT_DECAY;

  @Option(names = "--dropout", description = "Dropout while training (default ${DEFAULT-VALUE}).")
  double dropout = DROPOUT;

  @Option(
      names = "--layers",
      description = "Transformer blocks (default: the shipped model's ${DEFAULT-VALUE}).")
  int layers = TrainingConfig.demo(SEED, STEPS).layers();

  @Option(
      names = "--width",
      description =
          "Residual width, a multiple of 32; heads are width / 32 (default: the shipped model's"
              + " ${DEFAULT-VALUE}).")
  int width = TrainingConfig.demo(SEED, STEPS).width();

  @Option(names = "--out", description = "Checkpoint folder (default ${DEFAULT-VALUE}).")
  Path out = Path.of("demo/src/main/resources/dev/colloquy/demo/model");

  /**
   * Runs the training.
   *
   * @param args {@code --seed N --steps N --dialogues N --weight-decay X --dropout X --layers N
   *     --width N --out DIR}, each optional
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainShopModel()).execute(args));
  }

  @Override
  public Integer call() {
    TrainingResult result =
        GptTrainer.train(
            ShopCorpus.training(seed, dialogues),
            TrainingConfig.demo(seed, steps, weightDecay, dropout)
                .withShape(layers, Math.max(1, width / 32), width),
            out,
            System.out::println);
    System.out.println(
        "trained on " + result.examples() + " dialogues in " + result.took().toSeconds() + " s");
    return 0;
  }
}
