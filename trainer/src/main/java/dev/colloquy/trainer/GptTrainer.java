package dev.colloquy.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.colloquy.model.local.internal.checkpoint.CheckpointWriter;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.format.ToolTranscript;
import dev.colloquy.model.local.internal.runtime.DjlEnvironment;
import dev.colloquy.model.local.internal.runtime.GptLayers;
import dev.colloquy.model.local.internal.runtime.GptParameters;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import dev.colloquy.model.local.internal.tokenizer.BpeTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a GPT-2 model on conversations, from scratch, on DJL's PyTorch engine, and writes it in
 * the Hugging Face layout that {@code LocalGptModel.load} reads with {@code ChatFormat.colloquy()}
 * (named in its generation_config.json).
 *
 * <pre>{@code
 * TrainingResult result = GptTrainer.train(examples, TrainingConfig.demo(42, 1200), Path.of("model"), System.out::println);
 * }</pre>
 *
 * <p>The steps: a byte-level BPE tokenizer is trained on the rendered conversations (digits stay
 * single tokens); the weights start from GPT-2's initialisation (normal, 0.02; residual projections
 * scaled by 1/√(2·layers)) drawn from the seed; each step runs the forward pass of {@link
 * GptLayers} (the code inference runs) over a padded batch, takes the cross-entropy on the
 * assistant's tokens only, back-propagates with DJL's gradient collector and applies {@link AdamW}.
 * The same examples, configuration and seed give the same tokenizer, initial weights and batch
 * order, and the same losses for the first few hundred steps; after that the weights drift apart in
 * the last bits, because PyTorch's threaded CPU kernels do not sum in a fixed order.
 */
public final class GptTrainer {

  private GptTrainer() {}

  /**
   * Runs a training and writes the checkpoint (and every {@code checkpointEvery} steps before).
   *
   * @param examples the conversations
   * @param config the model shape and schedule
   * @param directory where config.json, model.safetensors, tokenizer.json and
   *     generation_config.json go
   * @param log receives one line per logged interval and a summary
   * @return the losses and the run's facts
   * @throws IllegalArgumentException when no example fits the context
   */
  public static TrainingResult train(
      List<TrainingExample> examples, TrainingConfig config, Path directory, Consumer<String> log) {
    long started = System.nanoTime();
    Path tokenizerFile = writeTokenizer(examples, config, directory);
    Engine engine = DjlEnvironment.pytorch();
    try (BpeTokenizer tokenizer = BpeTokenizer.load(tokenizerFile);
        NDManager manager = engine.newBaseManager()) {
      int vocabulary = tokenizer.size();
      int endOfText = vocabulary - 1;
      GptConfig shape =
          new GptConfig(
              config.layers(),
              config.heads(),
              config.width(),
              4 * config.width(),
              config.contextLength(),
              vocabulary,
              1e-5f,
              true,
              endOfText);
      EncodedExamples data =
          EncodedExamples.encode(examples, tokenizer, endOfText, config.contextLength());
      log.accept(
          String.format(
              "training %,d parameters on %,d conversations (%,d tokens, longest %d; %d skipped as too long), "
                  + "vocabulary %d, %d steps of %d",
              shape.parameterCount(),
              data.size(),
              data.tokens(),
              data.longest(),
              data.skipped(),
              vocabulary,
              config.steps(),
              config.batchSize()));
      SplittableRandom random = new SplittableRandom(config.seed());
      engine.setRandomSeed((int) config.seed()); // dropout masks come from the engine's generator
      GptParameters parameters =
          GptParameters.create(initialWeights(shape, random.split()), manager);
      for (NDArray p : parameters.all()) {
        p.setRequiresGradient(true);
      }
      AdamW optimizer = new AdamW(parameters.all(), config.weightDecay(), config.clipNorm());
      List<int[]> schedule = data.schedule(config.steps(), config.batchSize(), random.split());
      List<Double> losses = new ArrayList<>();
      double intervalLoss = 0;
      long intervalStart = System.nanoTime();
      for (int step = 0; step < config.steps(); step++) {
        intervalLoss +=
            step(
                engine,
                manager,
                parameters,
                data.batch(schedule.get(step), endOfText),
                (float) config.dropout());
        double norm = optimizer.update(config.learningRate(step));
        if ((step + 1) % config.logEvery() == 0 || step + 1 == config.steps()) {
          int interval = (step % config.logEvery()) + 1;
          losses.add(intervalLoss / interval);
          log.accept(
              String.format(
                  "step %d/%d  loss %.4f  lr %.2e  grad norm %.2f  %.2f s/step",
                  step + 1,
                  config.steps(),
                  intervalLoss / interval,
                  config.learningRate(step),
                  norm,
                  (System.nanoTime() - intervalStart) / 1e9 / interval));
          intervalLoss = 0;
          intervalStart = System.nanoTime();
        }
        if (config.checkpointEvery() > 0
            && (step + 1) % config.checkpointEvery() == 0
            && step + 1 < config.steps()) {
          save(parameters, config, directory);
          log.accept("checkpoint written at step " + (step + 1));
        }
      }
      save(parameters, config, directory);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      log.accept("wrote " + directory + " after " + took.toSeconds() + " s");
      return new TrainingResult(directory, losses, data.size(), took);
    }
  }

  /** One forward and backward pass; returns the mean loss per learned token. */
  private static double step(
      Engine engine,
      NDManager manager,
      GptParameters parameters,
      EncodedExamples.Batch batch,
      float dropout) {
    try (NDScope scope = new NDScope();
        GradientCollector collector = engine.newGradientCollector()) {
      scope.suppressNotUsedWarning();
      Shape shape = new Shape(batch.batch(), batch.length());
      NDArray inputs = manager.create(batch.inputs(), shape);
      NDArray targets = manager.create(batch.targets(), shape);
      NDArray weights = manager.create(batch.weights(), shape);
      NDArray logits = GptLayers.forward(parameters, inputs, dropout); // [B, T, vocab]
      NDArray picked =
          logits
              .logSoftmax(-1)
              .gather(targets.expandDims(2), 2)
              .squeeze(2); // [B, T]: log p(target)
      NDArray loss = picked.mul(weights).sum().neg().div(Math.max(1f, weights.sum().getFloat()));
      collector.backward(loss);
      return loss.getFloat();
    }
  }

  private static Path writeTokenizer(
      List<TrainingExample> examples, TrainingConfig config, Path directory) {
    List<String> texts = new ArrayList<>();
    for (TrainingExample example : examples) {
      StringBuilder text = new StringBuilder();
      for (ToolTranscript.Piece piece :
          ToolTranscript.pieces(example.messages(), example.tools(), false)) {
        text.append(piece.reply() ? " " : "").append(piece.text());
      }
      texts.add(text.toString());
    }
    Path file = directory.resolve("tokenizer.json");
    try {
      Files.createDirectories(directory);
      Files.writeString(file, BpeTrainer.train(texts, config.vocabularySize()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private static void save(GptParameters parameters, TrainingConfig config, Path directory) {
    int eos = parameters.config().endOfTextId();
    CheckpointWriter.write(
        parameters.toWeights(),
        config.dtype(),
        """
        {
          "bos_token_id": %d,
          "eos_token_id": %d,
          "do_sample": false,
          "max_new_tokens": 64,
          "chat_format": "colloquy"
        }
        """
            .formatted(eos, eos),
        directory);
  }

  /** GPT-2's initialisation, drawn from the seed. */
  static GptWeights initialWeights(GptConfig c, SplittableRandom random) {
    int width = c.width();
    int inner = c.innerWidth();
    float residual = (float) (0.02 / Math.sqrt(2.0 * c.layerCount()));
    float[] tokens = normal(random, c.vocabularySize() * width, 0.02f);
    List<GptWeights.Layer> layers = new ArrayList<>();
    for (int i = 0; i < c.layerCount(); i++) {
      layers.add(
          new GptWeights.Layer(
              filled(width, 1f),
              new float[width],
              normal(random, width * 3 * width, 0.02f),
              new float[3 * width],
              normal(random, width * width, residual),
              new float[width],
              filled(width, 1f),
              new float[width],
              normal(random, width * inner, 0.02f),
              new float[inner],
              normal(random, inner * width, residual),
              new float[width]));
    }
    return new GptWeights(
        c,
        tokens,
        normal(random, c.contextLength() * width, 0.01f),
        layers,
        filled(width, 1f),
        new float[width],
        tokens);
  }

  private static float[] normal(SplittableRandom random, int count, float deviation) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextGaussian() * deviation);
    }
    return values;
  }

  private static float[] filled(int count, float value) {
    float[] values = new float[count];
    java.util.Arrays.fill(values, value);
    return values;
  }
}
