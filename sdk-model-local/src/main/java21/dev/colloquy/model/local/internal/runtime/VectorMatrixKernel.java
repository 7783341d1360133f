package dev.colloquy.model.local.internal.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API matrix kernel (Java 21+, module {@code jdk.incubator.vector}). Each output column is
 * one 8-lane accumulator lane that takes {@code w[r, c] * x[r]} by a fused multiply-add for r from
 * {@code rowFrom} up, in order: that is the whole arithmetic, so a row gets the same bits whichever
 * tile computes it and whatever other rows are in the call.
 *
 * <ul>
 *   <li>One row (decoding): per full 64-column panel, eight accumulators take one panel row per
 *       input, streaming the panel once (one load per fused multiply-add, bound by memory).
 *   <li>Several rows (prefill, batched decoding): three (or two) rows by half a panel (four
 *       vectors) at a time, twelve accumulators, so each weight vector loaded serves three rows
 *       (seven loads per twelve fused multiply-adds) and the panel is read from cache once per three
 *       rows instead of once per row.
 * </ul>
 *
 * Partial panels (the last one of a matrix, or a column range that does not start on a panel) use
 * the plain-Java kernel, for any row count, so they too do not depend on the other rows.
 */
final class VectorMatrixKernel implements MatrixKernel {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
  private static final int PANEL = PackedMatrix.PANEL;
  private static final int HALF = PANEL / 2;

  private VectorMatrixKernel() {
  }

  /** The kernel, or null where 256-bit vectors are not native (they would be emulated, slowly). */
  static MatrixKernel createIfFast() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256 ? new VectorMatrixKernel() : null;
  }

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void multiply(float[] x, int xOffset, int xStride, int rows, PackedMatrix w, int rowFrom, int rowTo,
      int columnFrom, int columnTo, float[] out, int outOffset, int outStride) {
    float[] data = w.data();
    int column = columnFrom;
    while (column < columnTo) {
      int panel = column / PANEL;
      int panelStart = panel * PANEL;
      int width = w.panelWidth(panel);
      int to = Math.min(width, columnTo - panelStart);
      if (column != panelStart || to != PANEL) {
        Kernels.multiplyScalar(x, xOffset, xStride, rows, w, rowFrom, rowTo, column, panelStart + to,
            out, outOffset + column - columnFrom, outStride);
        column = panelStart + to;
        continue;
      }
      int base = w.panelOffset(panel);
      int o = outOffset + panelStart - columnFrom; // row t's panel starts at out[o + t * outStride]
      int xo = xOffset - rowFrom; // row t's x[r] is x[xo + t * xStride + r]
      int t = 0;
      for (; t + 3 <= rows; t += 3) {
        for (int half = 0; half < PANEL; half += HALF) {
          threeRows(x, xo + t * xStride, xStride, data, base + half, rowFrom, rowTo, out,
              o + t * outStride + half, outStride);
        }
      }
      if (t + 2 == rows) {
        for (int half = 0; half < PANEL; half += HALF) {
          twoRows(x, xo + t * xStride, xStride, data, base + half, rowFrom, rowTo, out,
              o + t * outStride + half, outStride);
        }
      } else if (t + 1 == rows) {
        oneRow(x, xo + t * xStride, data, base, rowFrom, rowTo, out, o + t * outStride);
      }
      column = panelStart + PANEL;
    }
  }

  /** One row against a whole panel starting at {@code data[p]}: eight accumulators. */
  private static void oneRow(float[] x, int xo, float[] data, int p, int rowFrom, int rowTo, float[] out,
      int o) {
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    FloatVector a6 = a0;
    FloatVector a7 = a0;
    for (int r = rowFrom; r < rowTo; r++) {
      FloatVector xr = FloatVector.broadcast(SPECIES, x[xo + r]);
      int at = p + r * PANEL;
      a0 = FloatVector.fromArray(SPECIES, data, at).fma(xr, a0);
      a1 = FloatVector.fromArray(SPECIES, data, at + 8).fma(xr, a1);
      a2 = FloatVector.fromArray(SPECIES, data, at + 16).fma(xr, a2);
      a3 = FloatVector.fromArray(SPECIES, data, at + 24).fma(xr, a3);
      a4 = FloatVector.fromArray(SPECIES, data, at + 32).fma(xr, a4);
      a5 = FloatVector.fromArray(SPECIES, data, at + 40).fma(xr, a5);
      a6 = FloatVector.fromArray(SPECIES, data, at + 48).fma(xr, a6);
      a7 = FloatVector.fromArray(SPECIES, data, at + 56).fma(xr, a7);
    }
    a0.intoArray(out, o);
    a1.intoArray(out, o + 8);
    a2.intoArray(out, o + 16);
    a3.intoArray(out, o + 24);
    a4.intoArray(out, o + 32);
    a5.intoArray(out, o + 40);
    a6.intoArray(out, o + 48);
    a7.intoArray(out, o + 56);
  }

  /**
   * Three rows against 32 columns of a panel starting at {@code data[p]}: twelve accumulators, the
   * most that fit 16 AVX2 registers beside the three broadcasts and one weight vector.
   */
  private static void threeRows(float[] x, int xo, int xStride, float[] data, int p, int rowFrom, int rowTo,
      float[] out, int o, int outStride) {
    FloatVector a00 = FloatVector.zero(SPECIES);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a13 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a22 = a00;
    FloatVector a23 = a00;
    int x1 = xo + xStride;
    int x2 = x1 + xStride;
    for (int r = rowFrom; r < rowTo; r++) {
      FloatVector b0 = FloatVector.broadcast(SPECIES, x[xo + r]);
      FloatVector b1 = FloatVector.broadcast(SPECIES, x[x1 + r]);
      FloatVector b2 = FloatVector.broadcast(SPECIES, x[x2 + r]);
      int at = p + r * PANEL;
      FloatVector w = FloatVector.fromArray(SPECIES, data, at);
      a00 = w.fma(b0, a00);
      a10 = w.fma(b1, a10);
      a20 = w.fma(b2, a20);
      w = FloatVector.fromArray(SPECIES, data, at + 8);
      a01 = w.fma(b0, a01);
      a11 = w.fma(b1, a11);
      a21 = w.fma(b2, a21);
      w = FloatVector.fromArray(SPECIES, data, at + 16);
      a02 = w.fma(b0, a02);
      a12 = w.fma(b1, a12);
      a22 = w.fma(b2, a22);
      w = FloatVector.fromArray(SPECIES, data, at + 24);
      a03 = w.fma(b0, a03);
      a13 = w.fma(b1, a13);
      a23 = w.fma(b2, a23);
    }
    int o1 = o + outStride;
    int o2 = o1 + outStride;
    a00.intoArray(out, o);
    a01.intoArray(out, o + 8);
    a02.intoArray(out, o + 16);
    a03.intoArray(out, o + 24);
    a10.intoArray(out, o1);
    a11.intoArray(out, o1 + 8);
    a12.intoArray(out, o1 + 16);
    a13.intoArray(out, o1 + 24);
    a20.intoArray(out, o2);
    a21.intoArray(out, o2 + 8);
    a22.intoArray(out, o2 + 16);
    a23.intoArray(out, o2 + 24);
  }

  /** Two rows against 32 columns of a panel starting at {@code data[p]}, as {@link #threeRows}. */
  private static void twoRows(float[] x, int xo, int xStride, float[] data, int p, int rowFrom, int rowTo,
      float[] out, int o, int outStride) {
    FloatVector a00 = FloatVector.zero(SPECIES);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a13 = a00;
    int x1 = xo + xStride;
    for (int r = rowFrom; r < rowTo; r++) {
      FloatVector b0 = FloatVector.broadcast(SPECIES, x[xo + r]);
      FloatVector b1 = FloatVector.broadcast(SPECIES, x[x1 + r]);
      int at = p + r * PANEL;
      FloatVector w = FloatVector.fromArray(SPECIES, data, at);
      a00 = w.fma(b0, a00);
      a10 = w.fma(b1, a10);
      w = FloatVector.fromArray(SPECIES, data, at + 8);
      a01 = w.fma(b0, a01);
      a11 = w.fma(b1, a11);
      w = FloatVector.fromArray(SPECIES, data, at + 16);
      a02 = w.fma(b0, a02);
      a12 = w.fma(b1, a12);
      w = FloatVector.fromArray(SPECIES, data, at + 24);
      a03 = w.fma(b0, a03);
      a13 = w.fma(b1, a13);
    }
    int o1 = o + outStride;
    a00.intoArray(out, o);
    a01.intoArray(out, o + 8);
    a02.intoArray(out, o + 16);
    a03.intoArray(out, o + 24);
    a10.intoArray(out, o1);
    a11.intoArray(out, o1 + 8);
    a12.intoArray(out, o1 + 16);
    a13.intoArray(out, o1 + 24);
  }
}
