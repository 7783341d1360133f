package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link BlockKernel} (Java 21+, module {@code jdk.incubator.vector}, 256-bit
 * vectors).
 *
 * <p>Design note. Every (row, column) sum takes its weights 8 at a time (chunk k of the row range),
 * dequantized exactly as {@link VectorBlocks} computes them, into one of four 8-lane accumulators,
 * {@code a[k % 4] = w.fma(x, a[k % 4])}, then adds {@code (a0 + a1) + (a2 + a3)} and sums the lanes
 * in a fixed order ({@link #sum}). That is the invariant: whichever path computes it, a row gets the
 * same bits.
 *
 * <ul>
 *   <li>One row (decoding): each column straight from the encoding, one column after another, so
 *       the weights are read as one stream (four interleaved columns, four streams, were about 30%
 *       slower once the matrix is out of cache).
 *   <li>Several rows (prefill, batched decoding), F16 row ranges that are not whole 32s, and
 *       columns left over: four columns are
 *       dequantized once into a small buffer, then every row reuses them, two rows at a time (eight
 *       accumulators, three loads per two fused multiply-adds). Dequantizing costs once per call,
 *       not once per row.
 * </ul>
 *
 * No vector is passed to or returned from a method that C2 might leave a call (see {@link
 * VectorBlocks}): accumulators leave each loop through a lane buffer.
 */
final class VectorBlockKernel implements BlockKernel {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final int COLUMNS = 4;

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void multiply(WeightTensor tensor, int in, int from, int to, int columnFrom, int columnTo,
      float[] x, int xAt, int xStride, int rows, float[] out, int outAt, int outStride) {
    int span = to - from;
    float[] lanes = new float[8 * 8];
    int c = columnFrom;
    if (rows == 1 && VectorBlocks.fused(tensor, span)) {
      for (; c + COLUMNS <= columnTo; c += COLUMNS) {
        VectorBlocks.dot4(tensor, c * in + from, in, span, x, xAt, lanes, out,
            outAt + c - columnFrom);
      }
    }
    if (c == columnTo) {
      return;
    }
    float[] w = new float[COLUMNS * span]; // [COLUMNS, span]: dequantized weight rows
    for (; c < columnTo; c += COLUMNS) {
      int columns = Math.min(COLUMNS, columnTo - c);
      for (int k = 0; k < columns; k++) {
        VectorBlocks.decode(tensor, (c + k) * in + from, span, w, k * span);
      }
      for (int k = 0; k < columns; k++) {
        int o = outAt + c + k - columnFrom;
        int t = 0;
        for (; t + 2 <= rows; t += 2) {
          tile2x1(w, k * span, span, x, t * xStride + xAt, xStride, lanes, out, t * outStride + o,
              outStride);
        }
        if (t < rows) {
          out[t * outStride + o] = tile1x1(w, k * span, span, x, t * xStride + xAt, lanes);
        }
      }
    }
  }

  /** The 8 lanes of an accumulator at lanes[at] summed in a fixed order. */
  static float sum(float[] lanes, int at) {
    return ((lanes[at] + lanes[at + 4]) + (lanes[at + 2] + lanes[at + 6]))
        + ((lanes[at + 1] + lanes[at + 5]) + (lanes[at + 3] + lanes[at + 7]));
  }

  /**
   * Two rows of x against one dequantized column, each row's sum taken as {@link VectorBlocks}
   * takes it: chunk k of 8 values into accumulator k % 4, then (a0 + a1) + (a2 + a3).
   */
  private static void tile2x1(float[] w, int w0, int span, float[] x, int xo, int xStride,
      float[] lanes, float[] out, int o, int outStride) {
    int x1 = xo + xStride;
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector b0 = a0;
    FloatVector b1 = a0;
    FloatVector b2 = a0;
    FloatVector b3 = a0;
    int r = 0;
    for (; r + 32 <= span; r += 32) {
      FloatVector v = FloatVector.fromArray(FLOATS, w, w0 + r);
      a0 = v.fma(FloatVector.fromArray(FLOATS, x, xo + r), a0);
      b0 = v.fma(FloatVector.fromArray(FLOATS, x, x1 + r), b0);
      v = FloatVector.fromArray(FLOATS, w, w0 + r + 8);
      a1 = v.fma(FloatVector.fromArray(FLOATS, x, xo + r + 8), a1);
      b1 = v.fma(FloatVector.fromArray(FLOATS, x, x1 + r + 8), b1);
      v = FloatVector.fromArray(FLOATS, w, w0 + r + 16);
      a2 = v.fma(FloatVector.fromArray(FLOATS, x, xo + r + 16), a2);
      b2 = v.fma(FloatVector.fromArray(FLOATS, x, x1 + r + 16), b2);
      v = FloatVector.fromArray(FLOATS, w, w0 + r + 24);
      a3 = v.fma(FloatVector.fromArray(FLOATS, x, xo + r + 24), a3);
      b3 = v.fma(FloatVector.fromArray(FLOATS, x, x1 + r + 24), b3);
    }
    if (r < span) { // 16-bit floats: up to three chunks past the last whole 32
      FloatVector v = FloatVector.fromArray(FLOATS, w, w0 + r);
      a0 = v.fma(FloatVector.fromArray(FLOATS, x, xo + r), a0);
      b0 = v.fma(FloatVector.fromArray(FLOATS, x, x1 + r), b0);
    }
    if (r + 8 < span) {
      FloatVector v = FloatVector.fromArray(FLOATS, w, w0 + r + 8);
      a1 = v.fma(FloatVector.fromArray(FLOATS, x, xo + r + 8), a1);
      b1 = v.fma(FloatVector.fromArray(FLOATS, x, x1 + r + 8), b1);
    }
    if (r + 16 < span) {
      FloatVector v = FloatVector.fromArray(FLOATS, w, w0 + r + 16);
      a2 = v.fma(FloatVector.fromArray(FLOATS, x, xo + r + 16), a2);
      b2 = v.fma(FloatVector.fromArray(FLOATS, x, x1 + r + 16), b2);
    }
    a0.add(a1).add(a2.add(a3)).intoArray(lanes, 0);
    b0.add(b1).add(b2.add(b3)).intoArray(lanes, 8);
    out[o] = sum(lanes, 0);
    out[o + outStride] = sum(lanes, 8);
  }

  /** One row of x against one dequantized column, summed as {@link #tile2x1} sums a row. */
  private static float tile1x1(float[] w, int w0, int span, float[] x, int xo, float[] lanes) {
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int r = 0;
    for (; r + 32 <= span; r += 32) {
      a0 = FloatVector.fromArray(FLOATS, w, w0 + r)
          .fma(FloatVector.fromArray(FLOATS, x, xo + r), a0);
      a1 = FloatVector.fromArray(FLOATS, w, w0 + r + 8)
          .fma(FloatVector.fromArray(FLOATS, x, xo + r + 8), a1);
      a2 = FloatVector.fromArray(FLOATS, w, w0 + r + 16)
          .fma(FloatVector.fromArray(FLOATS, x, xo + r + 16), a2);
      a3 = FloatVector.fromArray(FLOATS, w, w0 + r + 24)
          .fma(FloatVector.fromArray(FLOATS, x, xo + r + 24), a3);
    }
    if (r < span) {
      a0 = FloatVector.fromArray(FLOATS, w, w0 + r)
          .fma(FloatVector.fromArray(FLOATS, x, xo + r), a0);
    }
    if (r + 8 < span) {
      a1 = FloatVector.fromArray(FLOATS, w, w0 + r + 8)
          .fma(FloatVector.fromArray(FLOATS, x, xo + r + 8), a1);
    }
    if (r + 16 < span) {
      a2 = FloatVector.fromArray(FLOATS, w, w0 + r + 16)
          .fma(FloatVector.fromArray(FLOATS, x, xo + r + 16), a2);
    }
    a0.add(a1).add(a2.add(a3)).intoArray(lanes, 0);
    return sum(lanes, 0);
  }
}
