package dev.colloquy.model.local.internal.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The DJL engines' GPU check (bench/gpu-check/run.sh; a program, not a test): for each shape,
 * writes a random checkpoint, loads it on the Java engine (CPU, the reference) and on the DJL
 * engine on the chosen device, and prints the last-position logits' max relative error, whether
 * greedy decoding agrees, and prefill and decode tokens per second of each. Exits 1 when an error
 * passes 1e-3.
 *
 * <p>Arguments: {@code SHAPES DEVICE DIRECTORY [PROMPT] [DECODE]}: SHAPES is a comma-separated list
 * of {@code gpt2-small} (GPT-2 small's shape on {@link DjlGptRuntime}: 12 layers, width 768, 124M
 * parameters), {@code llama-1b} (Llama 3.2 1B's shape on {@link DjlDecoderRuntime}: 16 layers,
 * width 2048, 32 heads, 8 KV heads, inner 8192, vocabulary 128256, tied, llama3 RoPE scaling; about
 * 5 GB in F32), {@code qwen-0.5b} (Qwen2.5 0.5B's: q/k/v biases), {@code smollm-135m} (SmolLM
 * 135M's: a Llama of 30 layers, width 576, 9 heads, 3 key/value heads) or {@code tiny}; DEVICE is
 * {@code gpu:N} or {@code cpu}; PROMPT tokens (default 128) and DECODE steps (default 32). Each
 * checkpoint goes to DIRECTORY/SHAPE.
 */
public final class DecoderGpuCheck {

  private static final double LIMIT = 1e-3;

  private DecoderGpuCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println(
          "usage: DecoderGpuCheck gpt2-small|llama-1b|qwen-0.5b|smollm-135m|tiny[,...] gpu:N|cpu DIR"
              + " [PROMPT] [DECODE]");
      System.exit(2);
    }
    Device device = args[1].equals("cpu") ? Device.cpu() : Device.gpu(gpuIndex(args[1]));
    Path directory = Path.of(args[2]);
    int promptLength = args.length > 3 ? Integer.parseInt(args[3]) : 128;
    int decodeSteps = args.length > 4 ? Integer.parseInt(args[4]) : 32;
    Engine engine = DjlEnvironment.pytorch();
    System.out.printf(
        "DJL %s, PyTorch %s, %d GPU(s) visible, %d cores%n",
        Engine.getDjlVersion(),
        engine.getVersion(),
        engine.getGpuCount(),
        Runtime.getRuntime().availableProcessors());
    boolean passed = true;
    for (String shape : args[0].split(",")) {
      passed &= check(shape, device, directory.resolve(shape), promptLength, decodeSteps);
    }
    System.out.println(passed ? "GPU CHECK PASSED" : "GPU CHECK FAILED");
    System.exit(passed ? 0 : 1);
  }

  /** One shape: the Java engine on the CPU against the DJL engine on the device. */
  private static boolean check(
      String shape, Device device, Path directory, int promptLength, int decodeSteps) {
    long started = System.nanoTime();
    int cores = Runtime.getRuntime().availableProcessors();
    Run java;
    Run djl;
    int vocabulary;
    if (shape.equals("gpt2-small")) {
      if (!Files.exists(directory.resolve("config.json"))) {
        RandomGpt2Checkpoint.gpt2Small().writeTo(directory);
      }
      GptWeights weights = CheckpointReader.read(directory);
      vocabulary = weights.config().vocabularySize();
      System.out.printf("%nshape %s (gpt2) written and read in %.1f s%n", shape, seconds(started));
      int[] prompt = prompt(promptLength, vocabulary);
      try (JavaGptRuntime runtime = new JavaGptRuntime(weights, cores)) {
        java = run(runtime, prompt, decodeSteps);
      }
      started = System.nanoTime();
      try (DjlGptRuntime runtime = new DjlGptRuntime(weights, device)) {
        System.out.printf("uploaded to %s in %.1f s%n", device, seconds(started));
        djl = run(runtime, prompt, decodeSteps);
      }
    } else {
      RandomDecoderCheckpoint checkpoint = shape(shape);
      if (!Files.exists(directory.resolve("config.json"))) {
        checkpoint.writeTo(directory);
      }
      DecoderConfig config = DecoderConfig.read(directory.resolve("config.json"));
      DecoderWeights weights = SafetensorsDecoderReader.read(directory, config);
      vocabulary = config.vocabularySize();
      System.out.printf(
          "%nshape %s (%s, %,d parameters) written and read in %.1f s%n",
          shape, config.family().modelType(), config.parameterCount(), seconds(started));
      int[] prompt = prompt(promptLength, vocabulary);
      try (JavaDecoderRuntime runtime = new JavaDecoderRuntime(weights, cores)) {
        java = run(runtime, prompt, decodeSteps);
      }
      started = System.nanoTime();
      try (DjlDecoderRuntime runtime = new DjlDecoderRuntime(weights, device)) {
        System.out.printf("uploaded to %s in %.1f s%n", device, seconds(started));
        djl = run(runtime, prompt, decodeSteps);
      }
    }
    double scale = 0;
    double worst = 0;
    for (int v = 0; v < java.logits.length; v++) {
      scale = Math.max(scale, Math.abs(java.logits[v]));
      worst = Math.max(worst, Math.abs(djl.logits[v] - java.logits[v]));
    }
    double relative = worst / scale;
    int agreeing = 0;
    while (agreeing < decodeSteps && java.greedy[agreeing] == djl.greedy[agreeing]) {
      agreeing++;
    }
    System.out.printf("%-52s %12s %12s%n", "engine", "prefill t/s", "decode t/s");
    java.print();
    djl.print();
    System.out.printf(
        "last-position logits: max |djl - java| / max |java| = %.3g (limit %.0g)%n",
        relative, LIMIT);
    System.out.printf(
        "greedy tokens: the first %d of %d agree%s%n",
        agreeing,
        decodeSteps,
        agreeing == decodeSteps ? "" : " (java " + Arrays.toString(java.greedy) + ")");
    System.out.println(shape + (relative <= LIMIT ? ": passed" : ": FAILED"));
    return relative <= LIMIT;
  }

  private static int[] prompt(int length, int vocabulary) {
    int[] prompt = new int[length];
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < length; i++) {
      prompt[i] = random.nextInt(vocabulary);
    }
    return prompt;
  }

  private static int gpuIndex(String text) {
    if (!text.startsWith("gpu:")) {
      throw new IllegalArgumentException("device must be cpu or gpu:N, was " + text);
    }
    return Integer.parseInt(text.substring(4));
  }

  /** Random weights of a real model's shape; F32 on disk so that nothing is rounded twice. */
  static RandomDecoderCheckpoint shape(String name) {
    String llama3 =
        "{\"rope_type\": \"llama3\", \"factor\": 32.0, \"low_freq_factor\": 1.0,"
            + " \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}";
    return switch (name) {
      case "llama-1b" ->
          new RandomDecoderCheckpoint(
              "llama", 16, 2048, 32, 8, 64, 8192, 128256, 8192, true, 0, llama3, "F32", 4, 5,
              Map.of());
      case "qwen-0.5b" ->
          new RandomDecoderCheckpoint(
              "qwen2", 24, 896, 14, 2, 64, 4864, 151936, 8192, true, 0, "null", "F32", 2, 5,
              Map.of());
      case "smollm-135m" ->
          new RandomDecoderCheckpoint(
              "llama", 30, 576, 9, 3, 64, 1536, 49152, 2048, true, 0, "null", "F32", 1, 5,
              Map.of());
      case "tiny" ->
          new RandomDecoderCheckpoint(
              "llama", 2, 64, 4, 2, 16, 128, 512, 512, true, 0, llama3, "F32", 1, 5, Map.of());
      default -> throw new IllegalArgumentException("unknown shape " + name);
    };
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** One engine's timings, last prompt logits and greedy continuation. */
  private record Run(
      String engine, double prefillRate, double decodeRate, float[] logits, int[] greedy) {
    void print() {
      System.out.printf("%-52s %12.1f %12.2f%n", engine, prefillRate, decodeRate);
    }
  }

  /** A warm-up pass, then a timed prefill and {@code steps} timed greedy decode steps. */
  private static Run run(GptRuntime runtime, int[] prompt, int steps) {
    try (GptSequence warmUp = runtime.newSequence(prompt.length + 2)) {
      warmUp.append(prompt);
      warmUp.append(new int[] {0});
      warmUp.append(new int[] {1});
    }
    try (GptSequence sequence = runtime.newSequence(prompt.length + steps)) {
      long started = System.nanoTime();
      float[] logits = sequence.append(prompt);
      double prefill = prompt.length / seconds(started);
      int[] greedy = new int[steps];
      float[] next = logits;
      started = System.nanoTime();
      for (int k = 0; k < steps; k++) {
        greedy[k] = argmax(next);
        if (k < steps - 1) {
          next = sequence.append(new int[] {greedy[k]});
        }
      }
      double decode = (steps - 1) / seconds(started);
      return new Run(runtime.description(), prefill, decode, logits, greedy);
    }
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int v = 1; v < logits.length; v++) {
      if (logits[v] > logits[best]) {
        best = v;
      }
    }
    return best;
  }
}
