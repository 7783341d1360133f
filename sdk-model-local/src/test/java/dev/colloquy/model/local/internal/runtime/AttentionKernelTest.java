package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The attention kernels (the plain one and the best this JVM runs: the Vector API one when the
 * tests run from the jar on Java 21+) against a double-precision softmax attention, over head
 * widths that are whole vectors and one that is not, with and without a sliding window; a query's
 * context does not depend on what the scratch or the cache outside its positions held before;
 * several queries at once get the bits each gets alone; and the key layout's arithmetic.
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
        int[][] ranges = {{0, 0}, {0, 1}, {0, 37}, {0, 300}, {250, 300}, {5, 21}, {17, 308}};
        for (int[] range : ranges) {
          // Spread scores (sigma 2 queries) and scores far apart (sigma 40: most exponentials
          // underflow, which the vector kernel clamps).
          for (double sigma : new double[] {2, 40}) {
            int first = range[0];
            int last = range[1];
            int capacity = 310; // not a whole number of key blocks
            int head = 2; // the third head of the cache
            int stride = AttentionKernel.cachedPositions(capacity) * width;
            int base = head * stride;
            float[] plainKeys = gaussian(capacity * width, random, 1);
            float[] plainValues = gaussian(capacity * width, random, 1);
            float[] keys = new float[(head + 1) * stride];
            float[] values = new float[(head + 1) * stride];
            for (int p = 0; p < capacity; p++) {
              AttentionKernel.storeKey(plainKeys, p * width, keys, base, width, p);
              System.arraycopy(plainValues, p * width, values, base + p * width, width);
            }
            // A 3-row query buffer, the query in the middle row.
            float[] q = gaussian(3 * width, random, sigma);
            float scale = (float) (1 / Math.sqrt(width));
            float[] scores = gaussian(AttentionKernel.cachedPositions(last + 1), random, 100);
            float[] context = gaussian(3 * width, random, 100);
            kernel.attend(
                q, width, keys, values, base, width, first, last, scale, scores, context, width);

            // A float score's rounding grows with its size, and the softmax turns it into a
            // relative error of the weights.
            double tolerance = sigma > 2 ? 1e-4 : 2e-5;
            double[] weights = new double[last + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int p = first; p <= last; p++) {
              double dot = 0;
              for (int d = 0; d < width; d++) {
                dot += (double) q[width + d] * plainKeys[p * width + d];
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
                expected += weights[p] / sum * plainValues[p * width + d];
              }
              assertThat((double) context[width + d])
                  .as(
                      "%s kernel, width %d, positions [%d, %d], sigma %s, dimension %d",
                      kernel.name(), width, first, last, sigma, d)
                  .isCloseTo(expected, within(tolerance));
            }
            // The same bits again, whatever the scratch and the positions outside [first, last]
            // hold (a shorter sequence's stale keys, or anything at all).
            float[] again = context.clone();
            Arrays.fill(scores, Float.NaN);
            for (int p = 0; p < AttentionKernel.cachedPositions(capacity); p++) {
              if (p < first || p > last) {
                for (int d = 0; d < width; d++) {
                  keys[AttentionKernel.keyIndex(base, width, p, d)] = Float.NaN;
                  values[base + p * width + d] = Float.NaN;
                }
              }
            }
            Arrays.fill(keys, 0, base, Float.NaN);
            Arrays.fill(values, 0, base, Float.NaN);
            kernel.attend(
                q, width, keys, values, base, width, first, last, scale, scores, again, width);
            assertThat(again)
                .as("%s kernel, same query again", kernel.name())
                .containsExactly(context);
          }
        }
      }
    }
  }

  @Test
  void severalQueriesAtOnceGetTheBitsEachGetsAlone() {
    SplittableRandom random = new SplittableRandom(22);
    for (AttentionKernel kernel : KERNELS) {
      for (int width : new int[] {64, 96, 40}) {
        for (int count = 1; count <= 6; count++) {
          for (int lastStep : new int[] {0, 1}) {
            for (int[] range : new int[][] {{0, 0}, {0, 70}, {19, 200}, {0, 300}}) {
              int first = range[0];
              int last = range[1];
              int capacity = 310;
              int base = capacity * width; // the second head of the cache
              int stride = AttentionKernel.cachedPositions(capacity) * width;
              float[] keys = gaussian(base + stride, random, 1);
              float[] values = gaussian(base + stride, random, 1);
              int qStride = 3 * width; // queries a whole q/k/v row apart, as GPT-2 keeps them
              float[] q = gaussian(count * qStride, random, 2);
              float scale = (float) (1 / Math.sqrt(width));
              int needed =
                  count * AttentionKernel.cachedPositions(last + (count - 1) * lastStep + 1);
              float[] together = gaussian(count * width, random, 100);
              kernel.attendMany(
                  q,
                  0,
                  qStride,
                  count,
                  keys,
                  values,
                  base,
                  width,
                  first,
                  last,
                  lastStep,
                  scale,
                  gaussian(needed, random, 100),
                  together,
                  0,
                  width);
              for (int i = 0; i < count; i++) {
                float[] alone = new float[width];
                kernel.attend(
                    q,
                    i * qStride,
                    keys,
                    values,
                    base,
                    width,
                    first,
                    last + i * lastStep,
                    scale,
                    new float[AttentionKernel.cachedPositions(last + i * lastStep + 1)],
                    alone,
                    0);
                assertThat(Arrays.copyOfRange(together, i * width, (i + 1) * width))
                    .as(
                        "%s kernel, width %d, %d queries, step %d, [%d, %d], query %d",
                        kernel.name(), width, count, lastStep, first, last, i)
                    .containsExactly(alone);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void theKeyLayoutPlacesEveryPositionAndDimensionOnceInWholeBlocks() {
    for (int width : new int[] {64, 40, 1}) {
      for (int capacity : new int[] {1, 15, 16, 17, 310}) {
        int positions = AttentionKernel.cachedPositions(capacity);
        assertThat(positions % AttentionKernel.KEY_BLOCK).isZero();
        assertThat(positions).isBetween(capacity, capacity + AttentionKernel.KEY_BLOCK - 1);
        int base = 3 * positions * width;
        boolean[] seen = new boolean[positions * width];
        for (int p = 0; p < positions; p++) {
          for (int d = 0; d < width; d++) {
            int at = AttentionKernel.keyIndex(base, width, p, d) - base;
            assertThat(at)
                .as("width %d, position %d, dimension %d", width, p, d)
                .isBetween(0, positions * width - 1);
            assertThat(seen[at]).as("width %d, position %d, dimension %d", width, p, d).isFalse();
            seen[at] = true;
            // A prefix's floats hold every position of the prefix.
            assertThat(at).isLessThan(AttentionKernel.prefixFloats(p + 1, width));
          }
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
