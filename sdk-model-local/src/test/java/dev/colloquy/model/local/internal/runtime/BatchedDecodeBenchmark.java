package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderFamily;
import dev.colloquy.model.local.internal.decoder.RopeScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Aggregate decode speed of {@link GptRuntime#appendAll} with 1, 4, 8 and 16 sequences decoding at
 * once, on the GPT-2-small shape and on a small Llama shape (SmolLM2-135M's: 30 layers, width 576,
 * 9/3 heads of 64, inner 1536, vocab 49152, tied), both with random weights. Not a test: run it
 * from the packaged jar (so the Java 21 kernels load) on Temurin 25 with {@code --add-modules
 * jdk.incubator.vector}:
 *
 * <pre>{@code
 * java -Xmx6g --add-modules jdk.incubator.vector -cp JAR:test-classes:DEPS \
 *   dev.colloquy.model.local.internal.runtime.BatchedDecodeBenchmark \
 *   THREADS STEPS ROUNDS 1,4,8,16 gpt2,smollm F32 [target/gpt2-small-random]
 * }</pre>
 *
 * Each sequence first takes its own 8-token prompt, then every timed step appends each sequence's
 * greedy next token in one {@code appendAll}; a sequence's tokens per second times the number of
 * sequences is the aggregate. Each round runs every count once; the best and median round are
 * reported, the best being the least disturbed by other processes on a shared machine, beside the
 * tokens per second of the process's CPU time (which other processes disturb less; waiting workers
 * spin for up to 1 ms, which counts). Ratios are against the first count (give 1 first). The Llama
 * shape is built in memory in the given encoding (F32, F16, BF16, Q8_0 or Q4_0), from a fixed seed;
 * the GPT-2 directory is loaded as stored (F16/BF16 kept 16-bit), and written in the given encoding
 * (F32, F16 or BF16) when it has no checkpoint.
 */
public final class BatchedDecodeBenchmark {

  private static final int PROMPT = 8;
  private static final int WARM_UP_STEPS = 3;

  private BatchedDecodeBenchmark() {}

  public static void main(String[] args) {
    int threads = Integer.parseInt(args[0]);
    int steps = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    int[] counts = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
    List<String> models = List.of(args[4].split(","));
    String format = args.length > 5 ? args[5] : "F32";
    Path gpt2Directory = Path.of(args.length > 6 ? args[6] : "target/gpt2-small-random");
    System.out.printf(
        Locale.ROOT,
        "java %s, %d threads, matrix kernel %s, block kernel %s, load average %s%n",
        System.getProperty("java.version"),
        threads,
        MatrixKernels.best().name(),
        MatrixKernels.bestBlock().name(),
        loadAverage());
    for (String model : models) {
      try (GptRuntime runtime = load(model, format, threads, gpt2Directory)) {
        System.out.println(model + ": " + runtime.description());
        decode(runtime, 4, WARM_UP_STEPS * 3); // JIT warm-up, not reported
        double[][] rates = new double[counts.length][rounds];
        double[][] cpuRates = new double[counts.length][rounds];
        // Rounds interleave the counts, so that a change in the machine's load hits them alike.
        for (int round = 0; round < rounds; round++) {
          StringBuilder line = new StringBuilder("  round " + (round + 1) + ":");
          for (int c = 0; c < counts.length; c++) {
            double[] rate = decode(runtime, counts[c], steps);
            rates[c][round] = rate[0];
            cpuRates[c][round] = rate[1];
            line.append(String.format(Locale.ROOT, " %d: %.1f", counts[c], rate[0]));
          }
          System.out.println(line.append(" tok/s, load average ").append(loadAverage()));
        }
        for (int c = 0; c < counts.length; c++) {
          double best = max(rates[c]);
          double cpu = max(cpuRates[c]);
          System.out.printf(
              Locale.ROOT,
              "  %2d sequences: best %6.1f tok/s aggregate (%6.1f ms a step, %.2fx one sequence's),"
                  + " median %6.1f; %6.1f tok per CPU-second (%.2fx)%n",
              counts[c],
              best,
              1000.0 * counts[c] / best,
              best / max(rates[0]),
              median(rates[c]),
              cpu,
              cpu / max(cpuRates[0]));
        }
      }
    }
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static GptRuntime load(String model, String format, int threads, Path gpt2Directory) {
    switch (model) {
      case "gpt2" -> {
        if (!Files.exists(gpt2Directory.resolve("config.json"))) {
          RandomGpt2Checkpoint.gpt2Small().withDtype(format).writeTo(gpt2Directory);
        }
        return new JavaGptRuntime(
            CheckpointReader.readPacked(
                gpt2Directory.resolve(CheckpointReader.WEIGHTS_FILE),
                GptConfig.read(gpt2Directory.resolve("config.json"))),
            threads);
      }
      case "smollm" -> {
        return new JavaDecoderRuntime(
            CompressedWeightsBenchmark.build(smolLm135m(), format), threads);
      }
      default -> throw new IllegalArgumentException("unknown model " + model);
    }
  }

  static DecoderConfig smolLm135m() {
    return new DecoderConfig(
        DecoderFamily.LLAMA,
        30,
        576,
        9,
        3,
        64,
        1536,
        49152,
        2048,
        1e-5f,
        100000,
        64,
        RopeScaling.NONE,
        0,
        false,
        false,
        false,
        true,
        OptionalInt.of(1),
        List.of(2),
        DecoderConfig.Activation.SILU);
  }

  /**
   * Returns the aggregate tokens per second of {@code steps} timed steps of {@code count}: per
   * second of wall time, and per second of this process's CPU time.
   */
  private static double[] decode(GptRuntime runtime, int count, int steps) {
    List<GptSequence> sequences = new ArrayList<>();
    List<int[]> next = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GptSequence sequence = runtime.newSequence(PROMPT + WARM_UP_STEPS + steps);
      int[] prompt = new int[PROMPT];
      for (int t = 0; t < PROMPT; t++) {
        prompt[t] = (31 * i + 7 * t + 1) % runtime.vocabularySize();
      }
      sequences.add(sequence);
      next.add(new int[] {argmax(sequence.append(prompt))});
    }
    long start = 0;
    long cpuStart = 0;
    for (int step = 0; step < WARM_UP_STEPS + steps; step++) {
      if (step == WARM_UP_STEPS) {
        start = System.nanoTime();
        cpuStart = cpuNanos();
      }
      float[][] logits = runtime.appendAll(sequences, next);
      for (int i = 0; i < count; i++) {
        next.set(i, new int[] {argmax(logits[i])});
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
    sequences.forEach(GptSequence::close);
    return new double[] {count * steps / seconds, count * steps / cpuSeconds};
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  /** This process's user and system CPU time, from /proc/self/stat (Linux, 10 ms ticks). */
  private static long cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
