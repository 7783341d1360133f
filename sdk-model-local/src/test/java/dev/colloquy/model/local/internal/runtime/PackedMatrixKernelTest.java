package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The F32 panel kernels (the plain one and the best this JVM runs: the Vector API one when the
 * tests run from the jar on Java 21+ with {@code jdk.incubator.vector}) against a double-precision
 * product, and the property batched decoding and prefill rely on: a row multiplied among any number
 * of others gets, bit for bit, what it gets alone, in a tile of four or two rows or alone, in full
 * and partial panels.
 */
class PackedMatrixKernelTest {

  private static final long SEED = 18L;
  private static final MatrixKernel[] KERNELS = {Kernels.SCALAR, MatrixKernels.best()};
  private static final int IN = 203;
  private static final int OUT = 2 * PackedMatrix.PANEL + 22; // two full panels and a partial one

  private static float[] random(int count, SplittableRandom random) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  @Test
  void multipliesAsTheMatrixDoesOverRowAndColumnRanges() {
    SplittableRandom random = new SplittableRandom(SEED);
    float[] weights = random(IN * OUT, random); // [in, out]
    PackedMatrix matrix = PackedMatrix.ofRowMajor(weights, IN, OUT);
    int[][] rowRanges = {{0, IN}, {5, IN - 9}, {64, 67}, {3, 4}};
    int[][] columnRanges = {{0, OUT}, {64, 128}, {10, 100}, {128, OUT}};
    for (MatrixKernel kernel : KERNELS) {
      for (int rows = 1; rows <= 7; rows++) {
        for (int[] range : rowRanges) {
          int span = range[1] - range[0];
          float[] x = random(rows * span, random);
          for (int[] cols : columnRanges) {
            int width = cols[1] - cols[0];
            float[] out = new float[rows * width];
            kernel.multiply(
                x, 0, span, rows, matrix, range[0], range[1], cols[0], cols[1], out, 0, width);
            for (int t = 0; t < rows; t++) {
              for (int c = cols[0]; c < cols[1]; c++) {
                double exact = 0;
                double magnitude = 0;
                for (int r = range[0]; r < range[1]; r++) {
                  double product = (double) x[t * span + r - range[0]] * weights[r * OUT + c];
                  exact += product;
                  magnitude += Math.abs(product);
                }
                assertThat((double) out[t * width + c - cols[0]])
                    .as(
                        "%s kernel, %d rows, row %d, column %d over [%d, %d)",
                        kernel.name(), rows, t, c, range[0], range[1])
                    .isCloseTo(exact, within(1e-5 * magnitude + 1e-30));
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aRowMultipliedAmongOthersGetsTheBitsItGetsAlone() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    PackedMatrix matrix = PackedMatrix.ofRowMajor(random(IN * OUT, random), IN, OUT);
    int[][] rowRanges = {{0, IN}, {7, IN - 3}};
    int[][] columnRanges = {{0, OUT}, {64, 128}, {5, 70}};
    for (MatrixKernel kernel : KERNELS) {
      for (int rows = 2; rows <= 8; rows++) { // tiles of four and two rows, then an odd row alone
        for (int[] range : rowRanges) {
          int span = range[1] - range[0];
          float[] x = random(rows * span, random);
          for (int[] cols : columnRanges) {
            int width = cols[1] - cols[0];
            int stride = width + 3; // rows of out further apart than their width
            float[] together = new float[rows * stride];
            kernel.multiply(
                x, 0, span, rows, matrix, range[0], range[1], cols[0], cols[1], together, 0,
                stride);
            for (int t = 0; t < rows; t++) {
              float[] alone = new float[width];
              kernel.multiply(
                  x, t * span, span, 1, matrix, range[0], range[1], cols[0], cols[1], alone, 0,
                  width);
              assertThat(Arrays.copyOfRange(together, t * stride, t * stride + width))
                  .as(
                      "%s kernel, row %d of %d, rows [%d, %d), columns [%d, %d)",
                      kernel.name(), t, rows, range[0], range[1], cols[0], cols[1])
                  .containsExactly(alone);
              assertThat(Arrays.copyOfRange(together, t * stride + width, (t + 1) * stride))
                  .as("%s kernel leaves the gap between rows of out alone", kernel.name())
                  .containsOnly(0f);
            }
          }
        }
      }
    }
  }

  @Test
  void aSplitOfThePanelsBetweenCallsChangesNoBit() {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    PackedMatrix matrix = PackedMatrix.ofRowMajor(random(IN * OUT, random), IN, OUT);
    int rows = 5;
    float[] x = random(rows * IN, random);
    for (MatrixKernel kernel : KERNELS) {
      float[] whole = new float[rows * OUT];
      kernel.multiply(x, 0, IN, rows, matrix, 0, IN, 0, OUT, whole, 0, OUT);
      float[] split = new float[rows * OUT];
      int at = PackedMatrix.PANEL; // tasks split the columns on panels
      kernel.multiply(x, 0, IN, rows, matrix, 0, IN, 0, at, split, 0, OUT);
      kernel.multiply(x, 0, IN, rows, matrix, 0, IN, at, OUT, split, at, OUT);
      assertThat(split).as("%s kernel", kernel.name()).containsExactly(whole);
    }
  }
}
