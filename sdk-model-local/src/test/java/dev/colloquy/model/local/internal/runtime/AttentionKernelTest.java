package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The attention kernels (the plain one and the best this JVM runs: the Vector API one when the
 * tests run from the jar on Java 21+) against a double-precision softmax attention, over head
 * widths that are whole vectors and one that is not, with and without a sliding window; and a
 * query's context does not depend on what the scratch held before.
 */
class AttentionKernelTest {

  private static final AttentionKernel[] KERNELS = {
    AttentionKernel.SCALAR, MatrixKernels.attention()
  };

  @Test
  void attendsAsADoublePrecisionSoftmaxDoes() {
    SplittableRandom random = new SplittableRandom(21);
    for (AttentionKernel kernel : KERNELS) {
      for (int width : new int[] {64, 96, 128, 40}) {
        for (int[] range : new int[][] {{0, 0}, {0, 1}, {0, 37}, {0, 300}, {250, 300}, {5, 21}}) {
          int first = range[0];
          int last = range[1];
          int capacity = 320;
          int head = 2; // the third head of the cache
          int base = head * capacity * width;
          float[] keys = gaussian((head + 1) * capacity * width, random, 1);
          float[] values = gaussian((head + 1) * capacity * width, random, 1);
          // A 3-row query buffer, the query in the middle row.
          float[] q = gaussian(3 * width, random, 2);
          float scale = (float) (1 / Math.sqrt(width));
          float[] scores = gaussian(capacity, random, 100);
          float[] context = gaussian(3 * width, random, 100);
          kernel.attend(
              q, width, keys, values, base, width, first, last, scale, scores, context, width);

          double[] weights = new double[last + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int p = first; p <= last; p++) {
            double dot = 0;
            for (int d = 0; d < width; d++) {
              dot += (double) q[width + d] * keys[base + p * width + d];
            }
            weights[p] = dot * scale;
            max = Math.max(max, weights[p]);
          }
          double sum = 0;
          for (int p = first; p <= last; p++) {
            weights[p] = Math.exp(weights[p] - max);
            sum += weights[p];
          }
          for (int d = 0; d < width; d++) {
            double expected = 0;
            for (int p = first; p <= last; p++) {
              expected += weights[p] / sum * values[base + p * width + d];
            }
            assertThat((double) context[width + d])
                .as(
                    "%s kernel, width %d, positions [%d, %d], dimension %d",
                    kernel.name(), width, first, last, d)
                .isCloseTo(expected, within(2e-5));
          }
          float[] again = context.clone();
          Arrays.fill(scores, Float.NaN);
          kernel.attend(
              q, width, keys, values, base, width, first, last, scale, scores, again, width);
          assertThat(again)
              .as("%s kernel, same query again", kernel.name())
              .containsExactly(context);
        }
      }
    }
  }

  private static float[] gaussian(int count, SplittableRandom random, double sigma) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextGaussian() * sigma);
    }
    return values;
  }
}
