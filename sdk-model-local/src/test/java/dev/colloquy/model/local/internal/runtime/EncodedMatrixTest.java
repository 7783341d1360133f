package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each compressed encoding, multiplied in place by each block kernel (the plain one and the best
 * this JVM runs), equals the product with its dequantized matrix to 1e-5 of the sum of |x * w| per
 * output, over whole and partial row ranges of odd-sized matrices; a row multiplied among others
 * gets the bits it gets alone; and a split of the output columns between two threads changes no
 * bit.
 */
class EncodedMatrixTest {

  private static final long SEED = 18L;
  private static final BlockKernel[] KERNELS = {BlockKernels.SCALAR, MatrixKernels.bestBlock()};

  /** Rows of the matrix: the K types' super-blocks need 256. */
  private static int inFor(String encoding) {
    return encoding.endsWith("_K") ? 2 * 256 : encoding.startsWith("Q") ? 7 * 32 : 203;
  }

  private static WeightTensor random(String encoding, int count, SplittableRandom random) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextGaussian() * 0.05f;
    }
    return switch (encoding) {
      case "F16", "BF16" -> {
        short[] bits = new short[count];
        for (int i = 0; i < count; i++) {
          int raw = Float.floatToRawIntBits(values[i]);
          bits[i] = encoding.equals("BF16") ? (short) (raw >>> 16) : halfBits(values[i]);
        }
        yield new WeightTensor.Halves(bits, encoding.equals("BF16"));
      }
      case "Q8_0" -> WeightTensor.quantizeQ8_0(new WeightTensor.F32(values));
      case "Q4_0" -> {
        short[] scales = new short[count / 32];
        int[] nibbles = new int[count / 8];
        for (int b = 0; b < scales.length; b++) {
          scales[b] = HalfFloats.fromFloat(0.01f * (1 + random.nextInt(7)));
        }
        for (int i = 0; i < nibbles.length; i++) {
          nibbles[i] = random.nextInt();
        }
        yield new WeightTensor.Q4_0(scales, nibbles);
      }
      case "Q4_K", "Q6_K" -> CompressedWeightsBenchmark.encode(values, encoding);
      default -> throw new IllegalArgumentException(encoding);
    };
  }

  /** Round to nearest half precision through the subnormal-free normal range the test uses. */
  private static short halfBits(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    float magnitude = Math.abs(value);
    if (magnitude < 0x1p-14f) {
      return (short) (sign | (int) Math.rint(magnitude * 0x1p24));
    }
    int exponent = ((bits >>> 23) & 0xff) - 112;
    int mantissa = (bits & 0x7fffff) >>> 13;
    return (short) (sign | (exponent << 10) | mantissa);
  }

  private static float[] randomRows(int rows, int span, SplittableRandom random) {
    float[] x = new float[rows * span];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  private static void assertMatchesDequantized(
      LinearMatrix matrix,
      WeightTensor tensor,
      int in,
      int out,
      int rowFrom,
      int rowTo,
      float[] x,
      int rows,
      String kernel) {
    int span = rowTo - rowFrom;
    float[] result = new float[rows * out];
    matrix.multiply(x, 0, span, rows, rowFrom, rowTo, 0, out, result, 0, out);
    float[] dense = tensor.toFloats(); // [out, in]
    for (int t = 0; t < rows; t++) {
      for (int c = 0; c < out; c++) {
        double exact = 0;
        double magnitude = 0;
        for (int r = rowFrom; r < rowTo; r++) {
          double product = (double) x[t * span + r - rowFrom] * dense[c * in + r];
          exact += product;
          magnitude += Math.abs(product);
        }
        assertThat((double) result[t * out + c])
            .as(
                "%s, %s kernel, row %d column %d over [%d, %d), seed %d",
                tensor.encoding(), kernel, t, c, rowFrom, rowTo, SEED)
            .isCloseTo(exact, within(1e-5 * magnitude + 1e-30));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
  void multipliesInPlaceAsTheDequantizedMatrixDoes(String encoding) throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    int in = inFor(encoding);
    int out = 37;
    int rows = 3;
    WeightTensor tensor = random(encoding, in * out, random);
    for (BlockKernel kernel : KERNELS) {
      LinearMatrix matrix = new EncodedMatrix(tensor, in, out, kernel);
      int[][] ranges = {{0, in}, {5, in - 9}, {40, 63}, {32, 96}, {3, 4}, {in - 64, in}};
      for (int[] range : ranges) {
        float[] x = randomRows(rows, range[1] - range[0], random);
        assertMatchesDequantized(
            matrix, tensor, in, out, range[0], range[1], x, rows, kernel.name());
        assertThat(twoThreads(matrix, x, range[0], range[1], rows, out))
            .as(
                "%s, %s kernel, over [%d, %d) on two threads",
                encoding, kernel.name(), range[0], range[1])
            .containsExactly(oneThread(matrix, x, range[0], range[1], rows, out));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
  void aRowMultipliedAmongOthersGetsTheBitsItGetsAlone(String encoding) {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    // bfloat16 also in whole 32s, which its several-row tiles need
    int[] ins =
        encoding.equals("BF16") ? new int[] {inFor(encoding), 7 * 32} : new int[] {inFor(encoding)};
    for (int in : ins) {
      int out = 23;
      WeightTensor tensor = random(encoding, in * out, random);
      // Whole units of 32; whole 32s from the middle of a unit (8: a 16-bit grain); odd ones.
      int[][] ranges = {{0, in}, {32, in - 32}, {8, 72}, {7, in - 3}};
      int[][] columns = {{0, out}, {3, 13}, {5, 6}};
      // Tiles of four rows, then three real rows (one repeated), or two.
      for (int rows : new int[] {11, 6}) {
        for (BlockKernel kernel : KERNELS) {
          LinearMatrix matrix = new EncodedMatrix(tensor, in, out, kernel);
          for (int[] range : ranges) {
            float[] x = randomRows(rows, range[1] - range[0], random);
            for (int[] cols : columns) {
              assertEachRowAsAlone(matrix, x, rows, range, cols, encoding + ", " + kernel.name());
            }
          }
        }
      }
    }
  }

  /** Rows [0, rows) of x multiplied together give each row the bits it gets alone. */
  private static void assertEachRowAsAlone(
      LinearMatrix matrix, float[] x, int rows, int[] range, int[] cols, String label) {
    int span = range[1] - range[0];
    int width = cols[1] - cols[0];
    float[] together = new float[rows * width];
    matrix.multiply(x, 0, span, rows, range[0], range[1], cols[0], cols[1], together, 0, width);
    for (int t = 0; t < rows; t++) {
      float[] alone = new float[width];
      matrix.multiply(x, t * span, span, 1, range[0], range[1], cols[0], cols[1], alone, 0, width);
      assertThat(Arrays.copyOfRange(together, t * width, (t + 1) * width))
          .as(
              "%s kernel, row %d of %d, rows [%d, %d), columns [%d, %d)",
              label, t, rows, range[0], range[1], cols[0], cols[1])
          .containsExactly(alone);
    }
  }

  /**
   * Rows longer than {@link BlockKernels#SHORT_ROW} take the one-row kernels' other branch (no
   * touching ahead; in the vector kernel, Q8_0's 256-bit loop): the same sums as alone among rows,
   * and the dequantized product, as short rows.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
  void rowsLongerThanAShortRowMatchTheDequantizedMatrixAndTheirBitsAmongOthers(String encoding) {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    int in = 4 * 256;
    int out = 19;
    int rows = 5;
    WeightTensor tensor = random(encoding, in * out, random);
    for (BlockKernel kernel : KERNELS) {
      LinearMatrix matrix = new EncodedMatrix(tensor, in, out, kernel);
      int[][] ranges = {{0, in}, {256, in}, {32, in - 160}};
      for (int[] range : ranges) {
        int span = range[1] - range[0];
        assertThat(span).isGreaterThan(BlockKernels.SHORT_ROW);
        float[] x = randomRows(rows, span, random);
        assertMatchesDequantized(
            matrix, tensor, in, out, range[0], range[1], x, rows, kernel.name());
        float[] together = oneThread(matrix, x, range[0], range[1], rows, out);
        for (int t = 0; t < rows; t++) {
          float[] alone = new float[out];
          matrix.multiply(x, t * span, span, 1, range[0], range[1], 0, out, alone, 0, out);
          assertThat(Arrays.copyOfRange(together, t * out, (t + 1) * out))
              .as(
                  "%s, %s kernel, row %d over [%d, %d)",
                  encoding, kernel.name(), t, range[0], range[1])
              .containsExactly(alone);
        }
      }
    }
  }

  private static float[] oneThread(
      LinearMatrix matrix, float[] x, int from, int to, int rows, int out) {
    float[] result = new float[rows * out];
    matrix.multiply(x, 0, to - from, rows, from, to, 0, out, result, 0, out);
    return result;
  }

  private static float[] twoThreads(
      LinearMatrix matrix, float[] x, int from, int to, int rows, int out) throws Exception {
    float[] result = new float[rows * out];
    int half = out / 2 + 1;
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> first =
          threads.submit(
              () -> matrix.multiply(x, 0, to - from, rows, from, to, 0, half, result, 0, out));
      Future<?> second =
          threads.submit(
              () -> matrix.multiply(x, 0, to - from, rows, from, to, half, out, result, half, out));
      first.get();
      second.get();
    } finally {
      threads.shutdown();
    }
    return result;
  }
}
