package dev.colloquy.model.local.internal.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The attention kernel's cost per row, cached position and head, in the shape of a GPT-2 small
 * conversation's tenth turn: 40 new rows over about 480 cached positions, 64-wide heads, 144 heads
 * (12 layers of 12), one thread; one row a call, then four consecutive rows a call
 * (docs/benchmarks.md). Not a test: run it from the packaged jar (so the Java 21 kernel loads) on
 * Temurin 25:
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -cp JAR:test-classes:DEPS \
 *   dev.colloquy.model.local.internal.runtime.AttentionBenchmark [ROUNDS]
 * }</pre>
 */
public final class AttentionBenchmark {

  private AttentionBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int width = 64;
    int rows = 40;
    int history = 460;
    int capacity = AttentionKernel.cachedPositions(history + rows);
    SplittableRandom random = new SplittableRandom(7);
    float[] keys = new float[capacity * width];
    float[] values = new float[capacity * width];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = (float) random.nextGaussian();
      values[i] = (float) random.nextGaussian();
    }
    float[] q = new float[rows * width];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) random.nextGaussian();
    }
    float[] scores = new float[4 * capacity];
    float[] context = new float[rows * width];
    float scale = (float) (1 / Math.sqrt(width));
    AttentionKernel[] kernels = {AttentionKernel.SCALAR, MatrixKernels.attention()};
    for (int many = 0; many < 2; many++) {
      for (AttentionKernel kernel : kernels) {
        double[] nanos = new double[rounds];
        for (int round = 0; round < rounds; round++) {
          long pairs = 0;
          long start = System.nanoTime();
          for (int head = 0; head < 144; head++) {
            if (many == 1) { // four consecutive rows a call, as the engines group a step's rows
              for (int t = 0; t < rows; t += 4) {
                kernel.attendMany(
                    q,
                    t * width,
                    width,
                    4,
                    keys,
                    values,
                    0,
                    width,
                    0,
                    history + t,
                    1,
                    scale,
                    scores,
                    context,
                    t * width,
                    width);
              }
            } else {
              for (int t = 0; t < rows; t++) {
                kernel.attend(
                    q,
                    t * width,
                    keys,
                    values,
                    0,
                    width,
                    0,
                    history + t,
                    scale,
                    scores,
                    context,
                    t * width);
              }
            }
            for (int t = 0; t < rows; t++) {
              pairs += history + t + 1;
            }
          }
          nanos[round] = (double) (System.nanoTime() - start) / pairs;
        }
        Arrays.sort(nanos);
        System.out.printf(
            Locale.ROOT,
            "%s kernel, %s: %.2f ns per row, position and head (median"
                + " of %d rounds; %.1f ms per tenth turn on one thread)%n",
            kernel.name(),
            many == 1 ? "four rows a call" : "one row a call",
            nanos[rounds / 2],
            rounds,
            nanos[rounds / 2] * 144 * rows * (history + rows / 2.0) / 1e6);
      }
    }
  }
}
