package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link BlockKernel} (Java 21+, module {@code jdk.incubator.vector}, 256-bit
 * vectors).
 *
 * <p>Design note. Every (row, column) sum is one 8-lane accumulator that takes, for each 8 weights
 * in order, {@code acc = w.fma(x, acc)} with w the 8 dequantized weights (exactly as {@link
 * VectorBlocks} computes them), then a fixed reduction of its lanes ({@link #sum}). That is the
 * invariant: whichever path computes it, a row gets the same bits.
 *
 * <ul>
 *   <li>One row (decoding): four columns at a time, their weights dequantized in registers, each x
 *       vector loaded once for the four; the four sums are independent chains.
 *   <li>Several rows (prefill, batched decoding): four columns are dequantized once into a small
 *       buffer, then every row reuses them, four rows by two columns at a time (eight accumulators,
 *       six loads per eight fused multiply-adds). Dequantizing costs once per call, not per row.
 * </ul>
 *
 * Methods stay small so that C2 inlines each whole loop (the vectors then live in registers).
 */
final class VectorBlockKernel implements BlockKernel {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final int COLUMNS = 4;
  private static final VectorShuffle<Float> SWAP_HALVES =
      VectorShuffle.fromValues(FLOATS, 4, 5, 6, 7, 0, 1, 2, 3);
  private static final VectorShuffle<Float> SWAP_PAIRS =
      VectorShuffle.fromValues(FLOATS, 2, 3, 0, 1, 6, 7, 4, 5);
  private static final VectorShuffle<Float> SWAP_LANES =
      VectorShuffle.fromValues(FLOATS, 1, 0, 3, 2, 5, 4, 7, 6);

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void multiply(WeightTensor tensor, int in, int from, int to, int columnFrom, int columnTo,
      float[] x, int xAt, int xStride, int rows, float[] out, int outAt, int outStride) {
    int span = to - from;
    int whole = rows == 1 ? (columnTo - columnFrom) / COLUMNS * COLUMNS : 0;
    if (whole > 0) {
      switch (tensor) {
        case WeightTensor.Q8_0 q -> VectorBlocks.rowQ8(q, in, from, span, columnFrom, whole, x, xAt, out, outAt);
        case WeightTensor.Q4_0 q -> VectorBlocks.rowQ4(q, in, from, span, columnFrom, whole, x, xAt, out, outAt);
        case WeightTensor.Q4_K q -> VectorBlocks.rowQ4K(q, in, from, span, columnFrom, whole, x, xAt, out, outAt);
        case WeightTensor.Q6_K q -> VectorBlocks.rowQ6K(q, in, from, span, columnFrom, whole, x, xAt, out, outAt);
        case WeightTensor.Halves h -> VectorBlocks.rowHalves(h, in, from, span, columnFrom, whole, x, xAt, out, outAt);
        case WeightTensor.F32 f -> throw new IllegalArgumentException("F32 weights are multiplied as panels");
      }
    }
    if (columnFrom + whole == columnTo) {
      return;
    }
    float[] w = new float[COLUMNS * span]; // [COLUMNS, span]: dequantized weight rows
    for (int c = columnFrom + whole; c < columnTo; c += COLUMNS) {
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
          tile4x2(w, 0, span, span, x, xo, xStride, out, oo, outStride);
          tile4x2(w, 2 * span, 3 * span, span, x, xo, xStride, out, oo + 2, outStride);
        } else {
          for (int k = 0; k < columns; k++) {
            tile4x1(w, k * span, span, x, xo, xStride, out, oo + k, outStride);
          }
        }
      }
      for (; t < rows; t++) {
        int xo = t * xStride + xAt;
        int oo = t * outStride + o;
        if (columns == COLUMNS) {
          tile1x4(w, span, x, xo, out, oo);
        } else {
          for (int k = 0; k < columns; k++) {
            out[oo + k] = tile1x1(w, k * span, span, x, xo);
          }
        }
      }
    }
  }

  /** The lanes of v summed in a fixed order: ((0 + 4) + (2 + 6)) + ((1 + 5) + (3 + 7)). */
  static float sum(FloatVector v) {
    FloatVector s = v.add(v.rearrange(SWAP_HALVES));
    s = s.add(s.rearrange(SWAP_PAIRS));
    s = s.add(s.rearrange(SWAP_LANES));
    return s.lane(0);
  }

  /** Four rows of x against two dequantized columns. */
  private static void tile4x2(float[] w, int w0, int w1, int span, float[] x, int xo, int xStride,
      float[] out, int o, int outStride) {
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
    out[o] = sum(a00);
    out[o + 1] = sum(a01);
    out[o + outStride] = sum(a10);
    out[o + outStride + 1] = sum(a11);
    out[o + 2 * outStride] = sum(a20);
    out[o + 2 * outStride + 1] = sum(a21);
    out[o + 3 * outStride] = sum(a30);
    out[o + 3 * outStride + 1] = sum(a31);
  }

  /** Four rows of x against one dequantized column. */
  private static void tile4x1(float[] w, int w0, int span, float[] x, int xo, int xStride,
      float[] out, int o, int outStride) {
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
    out[o] = sum(a0);
    out[o + outStride] = sum(a1);
    out[o + 2 * outStride] = sum(a2);
    out[o + 3 * outStride] = sum(a3);
  }

  /** One row of x against four dequantized columns. */
  private static void tile1x4(float[] w, int span, float[] x, int xo, float[] out, int o) {
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
    out[o] = sum(a0);
    out[o + 1] = sum(a1);
    out[o + 2] = sum(a2);
    out[o + 3] = sum(a3);
  }

  private static float tile1x1(float[] w, int w0, int span, float[] x, int xo) {
    FloatVector a = FloatVector.zero(FLOATS);
    for (int r = 0; r < span; r += 8) {
      a = FloatVector.fromArray(FLOATS, w, w0 + r).fma(FloatVector.fromArray(FLOATS, x, xo + r), a);
    }
    return sum(a);
  }
}
