package dev.colloquy.trainer;

/**
 * The model shape and the optimisation schedule of a training run. AdamW (decoupled weight decay on
 * matrices and embeddings, none on biases and norms), a linear warm-up to the peak learning rate,
 * then a cosine decay to a tenth of it; gradients clipped to a global norm.
 *
 * @param layers transformer blocks, at least 1
 * @param heads attention heads, dividing width
 * @param width the residual width
 * @param contextLength the most positions; longer examples are skipped
 * @param vocabularySize the tokenizer's size, including the 256 bytes and end-of-text
 * @param steps optimiser steps, at least 1
 * @param batchSize conversations per step, at least 1
 * @param peakLearningRate the learning rate after warm-up
 * @param warmupSteps steps of linear warm-up, below steps
 * @param weightDecay AdamW's decoupled weight decay
 * @param clipNorm the global gradient norm cap
 * @param dropout the dropout rate on embeddings and residual branches while training, in [0, 1)
 * @param seed seeds the initial weights, the batch order and the dropout masks
 * @param logEvery log the loss every this many steps
 * @param checkpointEvery write the checkpoint every this many steps (0: only at the end)
 * @param dtype F32 or F16 for model.safetensors
 */
public record TrainingConfig(
    int layers,
    int heads,
    int width,
    int contextLength,
    int vocabularySize,
    int steps,
    int batchSize,
    double peakLearningRate,
    int warmupSteps,
    double weightDecay,
    double clipNorm,
    double dropout,
    long seed,
    int logEvery,
    int checkpointEvery,
    String dtype) {

  /** Validates the settings. */
  public TrainingConfig {
    if (layers < 1 || heads < 1 || width < 1 || width % heads != 0) {
      throw new IllegalArgumentException(
          "layers and heads must be at least 1 and width divisible by heads: layers="
              + layers
              + " heads="
              + heads
              + " width="
              + width);
    }
    if (contextLength < 8 || vocabularySize < 257 || steps < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "contextLength >= 8, vocabularySize >= 257, steps >= 1 and batchSize >= 1 "
              + "are needed: "
              + contextLength
              + ", "
              + vocabularySize
              + ", "
              + steps
              + ", "
              + batchSize);
    }
    if (!(peakLearningRate > 0)
        || warmupSteps < 0
        || warmupSteps >= steps
        || weightDecay < 0
        || !(clipNorm > 0)) {
      throw new IllegalArgumentException(
          "peakLearningRate and clipNorm must be positive, weightDecay >= 0 and "
              + "0 <= warmupSteps < steps: "
              + peakLearningRate
              + ", "
              + clipNorm
              + ", "
              + weightDecay
              + ", "
              + warmupSteps);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
    }
    if (logEvery < 1 || checkpointEvery < 0 || !(dtype.equals("F32") || dtype.equals("F16"))) {
      throw new IllegalArgumentException(
          "logEvery >= 1, checkpointEvery >= 0 and dtype F32 or F16 are needed");
    }
  }

  /**
   * The demo model's shape and schedule (4 layers, width 128, 256 positions, up to 1536 tokens,
   * batches of 16, weight decay 0.1, no dropout).
   */
  public static TrainingConfig demo(long seed, int steps) {
    return demo(seed, steps, 0.1, 0.0);
  }

  /** The demo model's shape and schedule with other regularisation, for trying variants. */
  public static TrainingConfig demo(long seed, int steps, double weightDecay, double dropout) {
    return new TrainingConfig(
        4,
        4,
        128,
        256,
        1536,
        steps,
        16,
        2e-3,
        Math.max(1, steps / 20),
        weightDecay,
        1.0,
        dropout,
        seed,
        10,
        100,
        "F16");
  }

  /** Returns this schedule on another shape (layers, heads, width), for trying model sizes. */
  public TrainingConfig withShape(int layers, int heads, int width) {
    return new TrainingConfig(
        layers,
        heads,
        width,
        contextLength,
        vocabularySize,
        steps,
        batchSize,
        peakLearningRate,
        warmupSteps,
        weightDecay,
        clipNorm,
        dropout,
        seed,
        logEvery,
        checkpointEvery,
        dtype);
  }

  /** A tiny shape for tests: trains a few steps in seconds. */
  public static TrainingConfig tiny(long seed, int steps) {
    return new TrainingConfig(
        2, 2, 32, 128, 300, steps, 8, 1e-2, 1, 0.0, 1.0, 0.1, seed, 1, 0, "F32");
  }

  /** Returns the learning rate at a step (0-based): linear warm-up, then cosine down to 10%. */
  public double learningRate(int step) {
    if (step < warmupSteps) {
      return peakLearningRate * (step + 1) / warmupSteps;
    }
    double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
    return peakLearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
