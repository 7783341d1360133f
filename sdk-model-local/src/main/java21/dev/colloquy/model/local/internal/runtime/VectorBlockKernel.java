package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link BlockKernel} (Java 21+, module {@code jdk.incubator.vector}, 256-bit
 * vectors).
 *
 * <p>Design note. Every (row, column) sum is one 8-lane accumulator that takes, for each 8 weights
 * in order, {@code acc = w.fma(x, acc)} with w the 8 dequantized weights (as {@link VectorBlocks}
 * computes them), then the fixed sum of its lanes ({@link #sum}). That is the invariant: whichever
 * path computes it, a row gets the same bits.
 *
 * <ul>
 *   <li>One row (decoding) of Q8_0, Q4_0, Q4_K or BF16: four columns at a time, their weights
 *       dequantized in registers, each x vector loaded once for the four; the four sums are
 *       independent chains.
 *   <li>Several rows (prefill, batched decoding), one row of F16 or Q6_K (whose dequantizing is too
 *       large for C2 to inline four times in one loop), and columns left over: four columns are
 *       dequantized once into a small buffer, then every row reuses them, four rows by two columns
 *       at a time (eight accumulators, six loads per eight fused multiply-adds). Dequantizing costs
 *       once per call, not once per row.
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
    if (rows == 1 && VectorBlocks.fused(tensor)) {
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
      int o = outAt + c - columnFrom;
      int t = 0;
      for (; t + 4 <= rows; t += 4) {
        int xo = t * xStride + xAt;
        int oo = t * outStride + o;
        if (columns == COLUMNS) {
          tile4x2(w, 0, span, span, x, xo, xStride, lanes, out, oo, outStride);
          tile4x2(w, 2 * span, 3 * span, span, x, xo, xStride, lanes, out, oo + 2, outStride);
        } else {
          for (int k = 0; k < columns; k++) {
            tile4x1(w, k * span, span, x, xo, xStride, lanes, out, oo + k, outStride);
          }
        }
      }
      for (; t < rows; t++) {
        int xo = t * xStride + xAt;
        int oo = t * outStride + o;
        if (columns == COLUMNS) {
          tile1x4(w, span, x, xo, lanes, out, oo);
        } else {
          for (int k = 0; k < columns; k++) {
            out[oo + k] = tile1x1(w, k * span, span, x, xo, lanes);
          }
        }
      }
    }
  }

  /** The 8 lanes of an accumulator at lanes[at] summed in a fixed order. */
  static float sum(float[] lanes, int at) {
    return ((lanes[at] + lanes[at + 4]) + (lanes[at + 2] + lanes[at + 6]))
        + ((lanes[at + 1] + lanes[at + 5]) + (lanes[at + 3] + lanes[at + 7]));
  }

  /** Four rows of x against two dequantized columns. */
  private static void tile4x2(float[] w, int w0, int w1, int span, float[] x, int xo, int xStride,
      float[] lanes, float[] out, int o, int outStride) {
    int x1 = xo + xStride;
    int x2 = x1 + xStride;
    int x3 = x2 + xStride;
    FloatVector a00 = FloatVector.zero(FLOATS);
    FloatVector a01 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    for (int r = 0; r < span; r += 8) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, w, w0 + r);
      FloatVector v1 = FloatVector.fromArray(FLOATS, w, w1 + r);
      FloatVector xv = FloatVector.fromArray(FLOATS, x, xo + r);
      a00 = v0.fma(xv, a00);
      a01 = v1.fma(xv, a01);
      xv = FloatVector.fromArray(FLOATS, x, x1 + r);
      a10 = v0.fma(xv, a10);
      a11 = v1.fma(xv, a11);
      xv = FloatVector.fromArray(FLOATS, x, x2 + r);
      a20 = v0.fma(xv, a20);
      a21 = v1.fma(xv, a21);
      xv = FloatVector.fromArray(FLOATS, x, x3 + r);
      a30 = v0.fma(xv, a30);
      a31 = v1.fma(xv, a31);
    }
    a00.intoArray(lanes, 0);
    a01.intoArray(lanes, 8);
    a10.intoArray(lanes, 16);
    a11.intoArray(lanes, 24);
    a20.intoArray(lanes, 32);
    a21.intoArray(lanes, 40);
    a30.intoArray(lanes, 48);
    a31.intoArray(lanes, 56);
    for (int t = 0; t < 4; t++) {
      out[o + t * outStride] = sum(lanes, 16 * t);
      out[o + t * outStride + 1] = sum(lanes, 16 * t + 8);
    }
  }

  /** Four rows of x against one dequantized column. */
  private static void tile4x1(float[] w, int w0, int span, float[] x, int xo, int xStride,
      float[] lanes, float[] out, int o, int outStride) {
    int x1 = xo + xStride;
    int x2 = x1 + xStride;
    int x3 = x2 + xStride;
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    for (int r = 0; r < span; r += 8) {
      FloatVector v = FloatVector.fromArray(FLOATS, w, w0 + r);
      a0 = v.fma(FloatVector.fromArray(FLOATS, x, xo + r), a0);
      a1 = v.fma(FloatVector.fromArray(FLOATS, x, x1 + r), a1);
      a2 = v.fma(FloatVector.fromArray(FLOATS, x, x2 + r), a2);
      a3 = v.fma(FloatVector.fromArray(FLOATS, x, x3 + r), a3);
    }
    a0.intoArray(lanes, 0);
    a1.intoArray(lanes, 8);
    a2.intoArray(lanes, 16);
    a3.intoArray(lanes, 24);
    for (int t = 0; t < 4; t++) {
      out[o + t * outStride] = sum(lanes, 8 * t);
    }
  }

  /** One row of x against four dequantized columns: four independent chains. */
  private static void tile1x4(float[] w, int span, float[] x, int xo, float[] lanes, float[] out,
      int o) {
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    for (int r = 0; r < span; r += 8) {
      FloatVector xv = FloatVector.fromArray(FLOATS, x, xo + r);
      a0 = FloatVector.fromArray(FLOATS, w, r).fma(xv, a0);
      a1 = FloatVector.fromArray(FLOATS, w, span + r).fma(xv, a1);
      a2 = FloatVector.fromArray(FLOATS, w, 2 * span + r).fma(xv, a2);
      a3 = FloatVector.fromArray(FLOATS, w, 3 * span + r).fma(xv, a3);
    }
    a0.intoArray(lanes, 0);
    a1.intoArray(lanes, 8);
    a2.intoArray(lanes, 16);
    a3.intoArray(lanes, 24);
    for (int k = 0; k < 4; k++) {
      out[o + k] = sum(lanes, 8 * k);
    }
  }

  /** One row of x against one dequantized column. */
  private static float tile1x1(float[] w, int w0, int span, float[] x, int xo, float[] lanes) {
    FloatVector a = FloatVector.zero(FLOATS);
    for (int r = 0; r < span; r += 8) {
      a = FloatVector.fromArray(FLOATS, w, w0 + r).fma(FloatVector.fromArray(FLOATS, x, xo + r), a);
    }
    a.intoArray(lanes, 0);
    return sum(lanes, 0);
  }
}
