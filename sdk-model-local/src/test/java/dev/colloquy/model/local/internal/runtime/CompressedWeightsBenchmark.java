package dev.colloquy.model.local.internal.runtime;

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
 * Decode speed of the Java engine on a random Llama-shaped model in each weight encoding, the bytes
 * it reads per token, and this machine's streaming read bandwidth (docs/benchmarks.md, "Compressed
 * weights"). Not a test: run it from the packaged jar (so the Java 21 kernels load) on Temurin 25
 * with {@code --add-modules jdk.incubator.vector}:
 *
 * <pre>{@code
 * java -Xmx12g --add-modules jdk.incubator.vector -cp JAR:test-classes:DEPS \
 *   dev.colloquy.model.local.internal.runtime.CompressedWeightsBenchmark \
 *   LAYERS THREADS TOKENS F32,F16,Q8_0,Q4_0
 * }</pre>
 *
 * LAYERS 16 is Llama-3.2-1B's shape (width 2048, 32 heads, 8 key/value heads, inner 8192, vocab
 * 128256, tied head); fewer layers keep the other sizes. The weights are built in memory in the
 * target encoding, one tensor at a time, from a fixed seed.
 */
public final class CompressedWeightsBenchmark {

  private CompressedWeightsBenchmark() {}

  public static void main(String[] args) {
    int layers = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    int tokens = Integer.parseInt(args[2]);
    List<String> formats = List.of(args[3].split(","));
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
    DecoderConfig config = llama1b(layers);
    for (String format : formats) {
      DecoderWeights weights = build(config, format);
      System.gc();
      long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      try (JavaDecoderRuntime runtime = new JavaDecoderRuntime(weights, threads)) {
        weights = null;
        System.gc();
        long bytes = runtime.matrixBytes();
        try (GptSequence sequence = runtime.newSequence(tokens + 8)) {
          int token = 1;
          for (int i = 0; i < 4; i++) { // warm-up
            token = argmax(sequence.append(new int[] {token}));
          }
          long start = System.nanoTime();
          for (int i = 0; i < tokens; i++) {
            token = argmax(sequence.append(new int[] {token}));
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          double rate = tokens / seconds;
          System.out.printf(
              Locale.ROOT,
              "%-5s %d layers: %.2f tok/s, %.2f GB read per token (%.1f GB/s), heap after load"
                  + " %.2f GB, load average %s%n",
              format,
              layers,
              rate,
              bytes / 1e9,
              rate * bytes / 1e9,
              heap / 1e9,
              loadAverage());
        }
      }
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

  /** ggml's reference Q4_0 quantizer, the scale kept as a float. */
  static WeightTensor.Q4_0 quantizeQ4_0(float[] values) {
    float[] scales = new float[values.length / 32];
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
      scales[b] = d;
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

  /** The best block kernel against the plain one on one odd-sized matrix per encoding. */
  private static void crossCheckKernels() {
    SplittableRandom random = new SplittableRandom(5);
    int in = 32 * 67;
    int out = 131;
    float[] values = new float[in * out];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 0.02f;
    }
    float[] x = new float[in];
    for (int i = 0; i < in; i++) {
      x[i] = (float) random.nextGaussian();
    }
    StringBuilder line = new StringBuilder("kernel cross-check, max |best - plain| / sum|x*w|:");
    for (String format : List.of("F16", "BF16", "Q8_0", "Q4_0")) {
      WeightTensor tensor = encode(values.clone(), format);
      float[] plain = new float[out];
      float[] best = new float[out];
      new EncodedMatrix(tensor, in, out, BlockKernels.SCALAR)
          .multiply(x, 0, in, 1, 3, in - 5, 0, out, plain, 0, out);
      new EncodedMatrix(tensor, in, out, MatrixKernels.bestBlock())
          .multiply(x, 0, in, 1, 3, in - 5, 0, out, best, 0, out);
      double worst = 0;
      for (int c = 0; c < out; c++) {
        double magnitude = 0;
        for (int r = 3; r < in - 5; r++) {
          magnitude += Math.abs(x[r - 3] * tensor.get(c * in + r));
        }
        worst = Math.max(worst, Math.abs(best[c] - plain[c]) / magnitude);
      }
      line.append(String.format(Locale.ROOT, " %s %.1e", format, worst));
    }
    System.out.println(line);
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
