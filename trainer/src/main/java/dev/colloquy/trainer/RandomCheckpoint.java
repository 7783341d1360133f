package dev.colloquy.trainer;

import dev.colloquy.model.local.internal.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The shape of a GPT-2 checkpoint with random weights, which {@link #writeTo} writes in the Hugging
 * Face layout that {@code LocalGptModel.load} reads: {@code config.json}, {@code
 * generation_config.json}, {@code model.safetensors} (float32, Conv1D layout, LM head tied to the
 * token embeddings) and GPT-2's real {@code tokenizer.json}, built from the BPE ranks that jtokkit
 * ships. The vocabulary is always GPT-2's 50,257 tokens. Such a model says nothing useful; it is
 * for tests and benchmarks of the runtime (the {@code colloquy model random} command writes one).
 *
 * <pre>{@code
 * Path directory = new RandomCheckpoint(2, 4, 64, 128, 1).writeTo(Path.of("target/random"));
 * }</pre>
 *
 * <p>The same shape and seed write the same bytes. Instances are immutable and thread-safe.
 *
 * @param layers transformer blocks, at least 1
 * @param heads attention heads, at least 1
 * @param width embedding width, a positive multiple of {@code heads}
 * @param positions context length in tokens, at least 1
 * @param seed the weights' random seed
 */
public record RandomCheckpoint(int layers, int heads, int width, int positions, long seed) {

  /** GPT-2's vocabulary size. */
  public static final int VOCABULARY = 50257;

  /**
   * Checks the shape.
   *
   * @throws IllegalArgumentException when a size is not positive or {@code width} is not divisible
   *     by {@code heads}
   */
  public RandomCheckpoint {
    requirePositive("layers", layers);
    requirePositive("heads", heads);
    requirePositive("width", width);
    requirePositive("positions", positions);
    if (width % heads != 0) {
      throw new IllegalArgumentException("width " + width + " is not divisible by heads " + heads);
    }
  }

  /**
   * Writes the checkpoint's four files into {@code directory}, created if needed; existing files of
   * the same names are replaced. Building the tokenizer takes about a second the first time in a
   * JVM.
   *
   * @param directory the checkpoint folder
   * @return {@code directory}
   * @throws UncheckedIOException when a file cannot be written
   */
  public Path writeTo(Path directory) {
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("config.json"), configJson());
      Files.writeString(
          directory.resolve("generation_config.json"),
          "{\"bos_token_id\": 50256, \"eos_token_id\": 50256, \"transformers_version\": \"4.40.0\"}");
      Files.writeString(directory.resolve("tokenizer.json"), Gpt2TokenizerJson.text());
      weights().write(directory.resolve("model.safetensors"));
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint to " + directory, e);
    }
  }

  private String configJson() {
    return """
        {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "activation_function": "gelu_new",
         "n_layer": %d, "n_head": %d, "n_embd": %d, "n_positions": %d, "n_ctx": %d, "n_inner": null,
         "vocab_size": %d, "layer_norm_epsilon": 1e-05, "bos_token_id": 50256, "eos_token_id": 50256,
         "tie_word_embeddings": true}
        """
        .formatted(layers, heads, width, positions, positions, VOCABULARY);
  }

  /** Every tensor, in the order Hugging Face exports them. */
  private SafetensorsWriter weights() {
    SplittableRandom random = new SplittableRandom(seed);
    int inner = 4 * width;
    SafetensorsWriter writer = new SafetensorsWriter("F32");
    writer.add("wte.weight", gaussian(random, (long) VOCABULARY * width, 0.02f), VOCABULARY, width);
    writer.add("wpe.weight", gaussian(random, (long) positions * width, 0.01f), positions, width);
    for (int i = 0; i < layers; i++) {
      String h = "h." + i + ".";
      writer.add(h + "ln_1.weight", around(random, width, 1f, 0.1f), width);
      writer.add(h + "ln_1.bias", gaussian(random, width, 0.02f), width);
      writer.add(
          h + "attn.c_attn.weight",
          gaussian(random, (long) width * 3 * width, 0.02f),
          width,
          3L * width);
      writer.add(h + "attn.c_attn.bias", gaussian(random, 3L * width, 0.02f), 3L * width);
      writer.add(
          h + "attn.c_proj.weight", gaussian(random, (long) width * width, 0.02f), width, width);
      writer.add(h + "attn.c_proj.bias", gaussian(random, width, 0.02f), width);
      writer.add(h + "ln_2.weight", around(random, width, 1f, 0.1f), width);
      writer.add(h + "ln_2.bias", gaussian(random, width, 0.02f), width);
      writer.add(
          h + "mlp.c_fc.weight", gaussian(random, (long) width * inner, 0.02f), width, inner);
      writer.add(h + "mlp.c_fc.bias", gaussian(random, inner, 0.02f), inner);
      writer.add(
          h + "mlp.c_proj.weight", gaussian(random, (long) inner * width, 0.02f), inner, width);
      writer.add(h + "mlp.c_proj.bias", gaussian(random, width, 0.02f), width);
    }
    writer.add("ln_f.weight", around(random, width, 1f, 0.1f), width);
    writer.add("ln_f.bias", gaussian(random, width, 0.02f), width);
    return writer;
  }

  private static float[] gaussian(SplittableRandom random, long count, float deviation) {
    return around(random, count, 0f, deviation);
  }

  private static float[] around(SplittableRandom random, long count, float mean, float deviation) {
    float[] values = new float[Math.toIntExact(count)];
    for (int i = 0; i < values.length; i++) {
      // Sum of uniforms: near-Gaussian and much faster than nextGaussian for 124M weights.
      double sum = random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
      values[i] = mean + (float) (sum * 2.0) * deviation;
    }
    return values;
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }
}
