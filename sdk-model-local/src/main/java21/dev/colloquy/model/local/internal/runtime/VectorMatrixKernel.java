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
 *   <li>Several rows (prefill, batched decoding): two rows by a whole panel at a time, sixteen
 *       accumulators, so each weight vector loaded serves both rows (ten loads per sixteen fused
 *       multiply-adds) and the panel is read from memory or cache once per two rows instead of
 *       once per row; an odd last row goes alone. Where 512-bit vectors are native, four rows at a
 *       time first (sixteen 16-lane accumulators, four loads per sixteen fused multiply-adds):
 *       8 sequences decoding together went from 3.96x to 4.36x one sequence's rate on GPT-2
 *       small (one thread, docs/benchmarks.md).
 * </ul>
 *
 * Partial panels (the last one of a matrix, or a column range that does not start on a panel) use
 * the plain-Java kernel, for any row count, so they too do not depend on the other rows.
 */
final class VectorMatrixKernel implements MatrixKernel {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
  private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_512;
  /** Whether 512-bit vectors are native: four rows a tile instead of two. */
  private static final boolean FOUR = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
  private static final int PANEL = PackedMatrix.PANEL;

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
      if (FOUR) {
        for (; t + 4 <= rows; t += 4) {
          fourRows(x, xo + t * xStride, xStride, data, base, rowFrom, rowTo, out, o + t * outStride,
              outStride);
        }
      }
      for (; t + 2 <= rows; t += 2) {
        twoRows(x, xo + t * xStride, xStride, data, base, rowFrom, rowTo, out, o + t * outStride,
            outStride);
      }
      if (t < rows) { // one row: inline, as before tiles, so decoding one sequence did not change
        int ot = o + t * outStride;
        int xt = xo + t * xStride;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int r = rowFrom; r < rowTo; r++) {
          FloatVector xr = FloatVector.broadcast(SPECIES, x[xt + r]);
          int p = base + r * PANEL;
          a0 = FloatVector.fromArray(SPECIES, data, p).fma(xr, a0);
          a1 = FloatVector.fromArray(SPECIES, data, p + 8).fma(xr, a1);
          a2 = FloatVector.fromArray(SPECIES, data, p + 16).fma(xr, a2);
          a3 = FloatVector.fromArray(SPECIES, data, p + 24).fma(xr, a3);
          a4 = FloatVector.fromArray(SPECIES, data, p + 32).fma(xr, a4);
          a5 = FloatVector.fromArray(SPECIES, data, p + 40).fma(xr, a5);
          a6 = FloatVector.fromArray(SPECIES, data, p + 48).fma(xr, a6);
          a7 = FloatVector.fromArray(SPECIES, data, p + 56).fma(xr, a7);
        }
        a0.intoArray(out, ot);
        a1.intoArray(out, ot + 8);
        a2.intoArray(out, ot + 16);
        a3.intoArray(out, ot + 24);
        a4.intoArray(out, ot + 32);
        a5.intoArray(out, ot + 40);
        a6.intoArray(out, ot + 48);
        a7.intoArray(out, ot + 56);
      }
      column = panelStart + PANEL;
    }
  }

  /**
   * Two rows against a whole panel starting at {@code data[p]}: sixteen accumulators. A whole panel
   * row at a time keeps the weights one sequential stream from memory (tiles of half a panel,
   * twelve accumulators for three rows, read every other pair of cache lines and were slower than
   * one row at a time once the matrix was out of cache).
   */
  private static void twoRows(float[] x, int xo, int xStride, float[] data, int p, int rowFrom, int rowTo,
      float[] out, int o, int outStride) {
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    FloatVector a6 = a0;
    FloatVector a7 = a0;
    FloatVector b0 = a0;
    FloatVector b1 = a0;
    FloatVector b2 = a0;
    FloatVector b3 = a0;
    FloatVector b4 = a0;
    FloatVector b5 = a0;
    FloatVector b6 = a0;
    FloatVector b7 = a0;
    int x1 = xo + xStride;
    for (int r = rowFrom; r < rowTo; r++) {
      FloatVector xa = FloatVector.broadcast(SPECIES, x[xo + r]);
      FloatVector xb = FloatVector.broadcast(SPECIES, x[x1 + r]);
      int at = p + r * PANEL;
      FloatVector w = FloatVector.fromArray(SPECIES, data, at);
      a0 = w.fma(xa, a0);
      b0 = w.fma(xb, b0);
      w = FloatVector.fromArray(SPECIES, data, at + 8);
      a1 = w.fma(xa, a1);
      b1 = w.fma(xb, b1);
      w = FloatVector.fromArray(SPECIES, data, at + 16);
      a2 = w.fma(xa, a2);
      b2 = w.fma(xb, b2);
      w = FloatVector.fromArray(SPECIES, data, at + 24);
      a3 = w.fma(xa, a3);
      b3 = w.fma(xb, b3);
      w = FloatVector.fromArray(SPECIES, data, at + 32);
      a4 = w.fma(xa, a4);
      b4 = w.fma(xb, b4);
      w = FloatVector.fromArray(SPECIES, data, at + 40);
      a5 = w.fma(xa, a5);
      b5 = w.fma(xb, b5);
      w = FloatVector.fromArray(SPECIES, data, at + 48);
      a6 = w.fma(xa, a6);
      b6 = w.fma(xb, b6);
      w = FloatVector.fromArray(SPECIES, data, at + 56);
      a7 = w.fma(xa, a7);
      b7 = w.fma(xb, b7);
    }
    int o1 = o + outStride;
    a0.intoArray(out, o);
    a1.intoArray(out, o + 8);
    a2.intoArray(out, o + 16);
    a3.intoArray(out, o + 24);
    a4.intoArray(out, o + 32);
    a5.intoArray(out, o + 40);
    a6.intoArray(out, o + 48);
    a7.intoArray(out, o + 56);
    b0.intoArray(out, o1);
    b1.intoArray(out, o1 + 8);
    b2.intoArray(out, o1 + 16);
    b3.intoArray(out, o1 + 24);
    b4.intoArray(out, o1 + 32);
    b5.intoArray(out, o1 + 40);
    b6.intoArray(out, o1 + 48);
    b7.intoArray(out, o1 + 56);
  }

  /**
   * Four rows against a whole panel with 512-bit vectors (a column is still one lane taking its
   * fused multiply-adds in row order, so the bits are those of the other tiles): per panel row, four
   * weight loads and four broadcasts serve sixteen fused multiply-adds, against sixteen loads, four
   * broadcasts and thirty-two for two {@link #twoRows} tiles.
   */
  private static void fourRows(float[] x, int xo, int xStride, float[] data, int p, int rowFrom,
      int rowTo, float[] out, int o, int outStride) {
    FloatVector a0 = FloatVector.zero(WIDE);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector b0 = a0;
    FloatVector b1 = a0;
    FloatVector b2 = a0;
    FloatVector b3 = a0;
    FloatVector c0 = a0;
    FloatVector c1 = a0;
    FloatVector c2 = a0;
    FloatVector c3 = a0;
    FloatVector d0 = a0;
    FloatVector d1 = a0;
    FloatVector d2 = a0;
    FloatVector d3 = a0;
    int x1 = xo + xStride;
    int x2 = x1 + xStride;
    int x3 = x2 + xStride;
    for (int r = rowFrom; r < rowTo; r++) {
      int at = p + r * PANEL;
      FloatVector w0 = FloatVector.fromArray(WIDE, data, at);
      FloatVector w1 = FloatVector.fromArray(WIDE, data, at + 16);
      FloatVector w2 = FloatVector.fromArray(WIDE, data, at + 32);
      FloatVector w3 = FloatVector.fromArray(WIDE, data, at + 48);
      FloatVector xs = FloatVector.broadcast(WIDE, x[xo + r]);
      a0 = w0.fma(xs, a0);
      a1 = w1.fma(xs, a1);
      a2 = w2.fma(xs, a2);
      a3 = w3.fma(xs, a3);
      xs = FloatVector.broadcast(WIDE, x[x1 + r]);
      b0 = w0.fma(xs, b0);
      b1 = w1.fma(xs, b1);
      b2 = w2.fma(xs, b2);
      b3 = w3.fma(xs, b3);
      xs = FloatVector.broadcast(WIDE, x[x2 + r]);
      c0 = w0.fma(xs, c0);
      c1 = w1.fma(xs, c1);
      c2 = w2.fma(xs, c2);
      c3 = w3.fma(xs, c3);
      xs = FloatVector.broadcast(WIDE, x[x3 + r]);
      d0 = w0.fma(xs, d0);
      d1 = w1.fma(xs, d1);
      d2 = w2.fma(xs, d2);
      d3 = w3.fma(xs, d3);
    }
    a0.intoArray(out, o);
    a1.intoArray(out, o + 16);
    a2.intoArray(out, o + 32);
    a3.intoArray(out, o + 48);
    int o1 = o + outStride;
    b0.intoArray(out, o1);
    b1.intoArray(out, o1 + 16);
    b2.intoArray(out, o1 + 32);
    b3.intoArray(out, o1 + 48);
    int o2 = o1 + outStride;
    c0.intoArray(out, o2);
    c1.intoArray(out, o2 + 16);
    c2.intoArray(out, o2 + 32);
    c3.intoArray(out, o2 + 48);
    int o3 = o2 + outStride;
    d0.intoArray(out, o3);
    d1.intoArray(out, o3 + 16);
    d2.intoArray(out, o3 + 32);
    d3.intoArray(out, o3 + 48);
  }
}
