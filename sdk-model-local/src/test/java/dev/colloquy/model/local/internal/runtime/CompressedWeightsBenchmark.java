package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderFamily;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.RopeScaling;
import dev.colloquy.model.local.internal.decoder.TensorNames;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import dev.colloquy.model.local.internal.gguf.KQuantizer;
import dev.colloquy.model.local.internal.gguf.KeptBlocks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Decode and prefill speed of the Java engine on a random Llama-shaped model in each weight
 * encoding, the bytes it reads per token, this machine's streaming read bandwidth, and the block
 * kernel's own rate on one matrix for 1, 8 and 32 rows and for one row in the down projection's
 * 256-value slices (docs/benchmarks.md, "Compressed weights"). Not a test: run it from the packaged
 * jar (so the Java 21 kernels load) on Temurin 25 with {@code --add-modules jdk.incubator.vector}:
 *
 * <pre>{@code
 * java -Xmx12g --add-modules jdk.incubator.vector -cp JAR:test-classes:DEPS \
 *   dev.colloquy.model.local.internal.runtime.CompressedWeightsBenchmark \
 *   LAYERS THREADS TOKENS F32,F16,BF16,Q8_0,Q4_0,Q4_K,Q6_K [PROMPT]
 * }</pre>
 *
 * LAYERS 16 is Llama-3.2-1B's shape (width 2048, 32 heads, 8 key/value heads, inner 8192, vocab
 * 128256, tied head); fewer layers keep the other sizes. The weights are built in memory in the
 * target encoding, one tensor at a time, from a fixed seed. Decode is TOKENS tokens one at a time;
 * prefill is a PROMPT-token prompt (default 32) in one step, best of three. On a machine shared
 * with other work, the matrix section's rates per CPU-second of the measuring thread say more than
 * wall time.
 */
public final class CompressedWeightsBenchmark {

  private CompressedWeightsBenchmark() {}

  public static void main(String[] args) {
    int layers = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    int tokens = Integer.parseInt(args[2]);
    List<String> formats = List.of(args[3].split(","));
    int prompt = args.length > 4 ? Integer.parseInt(args[4]) : 32;
    System.out.printf(
        Locale.ROOT,
        "java %s, %d threads, load average %s, block kernel %s, matrix kernel %s%n",
        System.getProperty("java.version"),
        threads,
        loadAverage(),
        MatrixKernels.bestBlock().name(),
        MatrixKernels.best().name());
    crossCheckKernels();
    bandwidth(threads);
    for (String format : formats) {
      matrixRates(format);
    }
    DecoderConfig config = llama1b(layers);
    for (String format : formats) {
      DecoderWeights weights = build(config, format);
      System.gc();
      long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      try (JavaDecoderRuntime runtime = new JavaDecoderRuntime(weights, threads)) {
        weights = null;
        System.gc();
        long bytes = runtime.matrixBytes();
        prefillRate(runtime, prompt); // warm-up of the several-row kernels
        double decode = decodeRate(runtime, tokens);
        double prefill = prefillRate(runtime, prompt);
        System.out.printf(
            Locale.ROOT,
            "%-5s %d layers: decode %.2f tok/s, %.2f GB read per token (%.1f GB/s); prefill of %d"
                + " %.1f tok/s (%.1fx decode); heap after load %.2f GB; load average %s%n",
            format,
            layers,
            decode,
            bytes / 1e9,
            decode * bytes / 1e9,
            prompt,
            prefill,
            prefill / decode,
            heap / 1e9,
            loadAverage());
      }
    }
  }

  /** Tokens a second decoding one at a time, after 8 warm-up tokens. */
  private static double decodeRate(JavaDecoderRuntime runtime, int tokens) {
    try (GptSequence sequence = runtime.newSequence(tokens + 9)) {
      int token = 1;
      for (int i = 0; i < 8; i++) {
        token = argmax(sequence.append(new int[] {token}));
      }
      long start = System.nanoTime();
      for (int i = 0; i < tokens; i++) {
        token = argmax(sequence.append(new int[] {token}));
      }
      return tokens / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** Prompt tokens a second, a prompt of {@code prompt} tokens in one step: best of three. */
  private static double prefillRate(JavaDecoderRuntime runtime, int prompt) {
    int[] tokens = new int[prompt];
    for (int i = 0; i < prompt; i++) {
      tokens[i] = 1 + (i * 7919) % 1000;
    }
    double best = 0;
    for (int pass = 0; pass < 3; pass++) {
      try (GptSequence sequence = runtime.newSequence(prompt)) {
        long start = System.nanoTime();
        sequence.append(tokens);
        best = Math.max(best, prompt / ((System.nanoTime() - start) / 1e9));
      }
    }
    return best;
  }

  /**
   * The best kernel (F32: the panel kernel) on one [2048 -> 16384] matrix (out of cache) on this
   * thread, in 512-column calls as the engine's LM head makes them: weights times rows a
   * CPU-second, for 1, 8 and 32 rows, after two seconds of warm-up per row count (C2 compiles
   * slowly on a loaded machine).
   */
  private static void matrixRates(String format) {
    int in = 2048;
    int out = 16384;
    SplittableRandom random = new SplittableRandom(3);
    float[] values = new float[in * out];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 0.02f;
    }
    WeightTensor tensor = encode(values, format);
    LinearMatrix matrix =
        LinearMatrix.ofOutIn(tensor, in, out, MatrixKernels.best(), MatrixKernels.bestBlock());
    StringBuilder line =
        new StringBuilder(String.format(Locale.ROOT, "matrix %-5s %dx%d:", format, in, out));
    for (int rows : new int[] {1, 8, 32}) {
      float[] x = new float[rows * in];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      float[] result = new float[rows * 512];
      double rate = 0;
      for (int pass = 0; pass < 2; pass++) {
        long wallStart = System.nanoTime();
        long cpuStart = threadCpuNanos();
        long passes = 0;
        while (System.nanoTime() - wallStart < (pass == 0 ? 2e9 : 1e9)) {
          for (int c = 0; c < out; c += 512) {
            matrix.multiply(x, 0, in, rows, 0, in, c, c + 512, result, 0, 512);
          }
          passes++;
        }
        rate = (double) passes * in * out * rows / (threadCpuNanos() - cpuStart);
      }
      line.append(String.format(Locale.ROOT, " %d rows %.1f", rows, rate));
    }
    line.append(String.format(Locale.ROOT, "; 1 row in slices %.1f", sliceRate(format, random)));
    line.append(" G weight-rows per CPU-second; load average ").append(loadAverage());
    System.out.println(line);
  }

  /**
   * One row through a [8192 -> 2048] matrix (the MLP's down projection) in 256-value row slices
   * over all columns, as the engine's MLP tasks take it: weights a CPU-second.
   */
  private static double sliceRate(String format, SplittableRandom random) {
    int in = 8192;
    int out = 2048;
    float[] values = new float[in * out];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 0.02f;
    }
    LinearMatrix matrix =
        new EncodedMatrix(encode(values, format), in, out, MatrixKernels.bestBlock());
    float[] x = new float[in];
    for (int i = 0; i < in; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float[] result = new float[out];
    double rate = 0;
    for (int pass = 0; pass < 2; pass++) {
      long wallStart = System.nanoTime();
      long cpuStart = threadCpuNanos();
      long passes = 0;
      while (System.nanoTime() - wallStart < (pass == 0 ? 2e9 : 1e9)) {
        for (int r = 0; r < in; r += 256) {
          matrix.multiply(x, r, in, 1, r, r + 256, 0, out, result, 0, out);
        }
        passes++;
      }
      rate = (double) passes * in * out / (threadCpuNanos() - cpuStart);
    }
    return rate;
  }

  /** This thread's time on a CPU (Linux's schedstat), or wall time where that is not readable. */
  private static long threadCpuNanos() {
    try {
      return Long.parseLong(Files.readString(Path.of("/proc/thread-self/schedstat")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return System.nanoTime();
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static DecoderConfig llama1b(int layers) {
    return new DecoderConfig(
        DecoderFamily.LLAMA,
        layers,
        2048,
        32,
        8,
        64,
        8192,
        128256,
        4096,
        1e-5f,
        500000,
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

  /** Random weights of the config in {@code format}, one tensor at a time (norms stay F32). */
  static DecoderWeights build(DecoderConfig config, String format) {
    Map<String, WeightTensor> tensors = new LinkedHashMap<>();
    long seed = 18;
    for (Map.Entry<String, long[]> entry : TensorNames.expected(config).entrySet()) {
      long[] shape = entry.getValue();
      SplittableRandom random = new SplittableRandom(seed++);
      int count = (int) (shape.length == 2 ? shape[0] * shape[1] : shape[0]);
      float[] values = new float[count];
      if (shape.length == 1) {
        for (int i = 0; i < count; i++) {
          values[i] = 1f + 0.1f * (random.nextFloat() - 0.5f);
        }
        tensors.put(entry.getKey(), new WeightTensor.F32(values));
        continue;
      }
      float range = (float) (1.7 / Math.sqrt(shape[1]));
      for (int i = 0; i < count; i++) {
        values[i] = range * (2 * random.nextFloat() - 1);
      }
      tensors.put(entry.getKey(), encode(values, format));
    }
    return new DecoderWeights(config, tensors);
  }

  static WeightTensor encode(float[] values, String format) {
    return switch (format) {
      case "F32" -> new WeightTensor.F32(values);
      case "F16", "BF16" -> {
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
          bits[i] = format.equals("F16") ? toHalf(values[i]) : toBfloat16(values[i]);
        }
        yield new WeightTensor.Halves(bits, format.equals("BF16"));
      }
      case "Q8_0" -> WeightTensor.quantizeQ8_0(new WeightTensor.F32(values));
      case "Q4_0" -> quantizeQ4_0(values);
      case "Q4_K", "Q6_K" -> superBlocks(GgmlType.valueOf(format), values);
      default -> throw new IllegalArgumentException("unknown format " + format);
    };
  }

  /** Q4_K or Q6_K blocks of the values (round to nearest), read as a loaded file's would be. */
  static WeightTensor superBlocks(GgmlType type, float[] values) {
    KeptBlocks kept = new KeptBlocks(type, values.length);
    byte[] blocks = KQuantizer.quantize(type, values);
    kept.read(ByteBuffer.wrap(blocks).order(ByteOrder.LITTLE_ENDIAN), 0, values.length / 256);
    return kept.tensor();
  }

  /** ggml's reference Q4_0 quantizer: d kept as f16, the nibbles computed with the unrounded d. */
  static WeightTensor.Q4_0 quantizeQ4_0(float[] values) {
    short[] scales = new short[values.length / 32];
    int[] nibbles = new int[values.length / 8];
    for (int b = 0; b < scales.length; b++) {
      float extreme = 0f;
      for (int i = 0; i < 32; i++) {
        float v = values[b * 32 + i];
        if (Math.abs(v) > Math.abs(extreme)) {
          extreme = v;
        }
      }
      float d = extreme / -8f;
      float inverse = d != 0f ? 1f / d : 0f;
      scales[b] = HalfFloats.fromFloat(d);
      for (int i = 0; i < 32; i++) {
        int q = Math.min(15, (int) (values[b * 32 + i] * inverse + 8.5f));
        nibbles[b * 4 + i / 8] |= q << (4 * (i % 8));
      }
    }
    return new WeightTensor.Q4_0(scales, nibbles);
  }

  /** Round to nearest even half precision, for values in half's normal range (or zero). */
  static short toHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    if (Math.abs(value) < 0x1p-14f) {
      return (short) (sign | (int) Math.rint(Math.abs(value) * 0x1p24));
    }
    int exponent = ((bits >>> 23) & 0xff) - 112;
    int mantissa = bits & 0x7fffff;
    int half = (exponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++;
    }
    return (short) (sign | half);
  }

  static short toBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
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

  /**
   * The best block kernel against the plain one on one odd-sized matrix per encoding, over a row
   * range that starts and ends inside blocks; and the best kernel's rows multiplied together
   * against each row alone (equal bits expected).
   */
  private static void crossCheckKernels() {
    SplittableRandom random = new SplittableRandom(5);
    int in = 256 * 9;
    int out = 131;
    int rows = 9;
    float[] values = new float[in * out];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 0.02f;
    }
    float[] x = new float[rows * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    int from = 3;
    int to = in - 5;
    int span = to - from;
    StringBuilder line = new StringBuilder("kernel cross-check, max |best - plain| / sum|x*w|:");
    StringBuilder rowsLine = new StringBuilder("rows together vs alone, best kernel:");
    for (String format : List.of("F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K")) {
      WeightTensor tensor = encode(values.clone(), format);
      float[] plain = new float[out];
      float[] best = new float[out];
      LinearMatrix bestMatrix = new EncodedMatrix(tensor, in, out, MatrixKernels.bestBlock());
      new EncodedMatrix(tensor, in, out, BlockKernels.SCALAR)
          .multiply(x, 0, span, 1, from, to, 0, out, plain, 0, out);
      bestMatrix.multiply(x, 0, span, 1, from, to, 0, out, best, 0, out);
      double worst = 0;
      for (int c = 0; c < out; c++) {
        double magnitude = 0;
        for (int r = from; r < to; r++) {
          magnitude += Math.abs(x[r - from] * tensor.get(c * in + r));
        }
        worst = Math.max(worst, Math.abs(best[c] - plain[c]) / magnitude);
      }
      line.append(String.format(Locale.ROOT, " %s %.1e", format, worst));
      float[] together = new float[rows * out];
      bestMatrix.multiply(x, 0, span, rows, from, to, 0, out, together, 0, out);
      int differing = 0;
      for (int t = 0; t < rows; t++) {
        float[] alone = new float[out];
        bestMatrix.multiply(x, t * span, span, 1, from, to, 0, out, alone, 0, out);
        for (int c = 0; c < out; c++) {
          differing += Float.compare(alone[c], together[t * out + c]) != 0 ? 1 : 0;
        }
      }
      rowsLine.append(String.format(Locale.ROOT, " %s %d differ", format, differing));
    }
    System.out.println(line);
    System.out.println(rowsLine);
  }

  /** Streaming read of a 1 GB array by {@code threads} threads, best of three passes. */
  private static void bandwidth(int threads) {
    long[] data = new long[1 << 27];
    for (int i = 0; i < data.length; i++) {
      data[i] = i;
    }
    double best = 0;
    long checksum = 0;
    for (int pass = 0; pass < 4; pass++) {
      long[] sums = new long[threads];
      Thread[] workers = new Thread[threads];
      int chunk = data.length / threads;
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int index = t;
        workers[t] =
            new Thread(
                () -> {
                  long sum = 0;
                  for (int i = index * chunk; i < (index + 1) * chunk; i++) {
                    sum += data[i];
                  }
                  sums[index] = sum;
                });
        workers[t].start();
      }
      for (Thread worker : workers) {
        try {
          worker.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (long sum : sums) {
        checksum += sum;
      }
      if (pass > 0) {
        best = Math.max(best, 8.0 * data.length / seconds / 1e9);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "streaming read, %d threads: %.1f GB/s (checksum %d)%n",
        threads,
        best,
        checksum);
  }
}
