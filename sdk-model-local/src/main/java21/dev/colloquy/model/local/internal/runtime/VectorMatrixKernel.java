package dev.colloquy.model.local.internal.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API matrix kernel (Java 21+, module {@code jdk.incubator.vector}): for each full
 * 64-column panel and each input row, eight 8-lane accumulators take one fused multiply-add per
 * panel row, streaming the panel once; the accumulators stay in registers and are stored once.
 * Partial panels (the last one of a matrix, or a column range that does not start on a panel)
 * use the plain-Java kernel.
 */
final class VectorMatrixKernel implements MatrixKernel {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

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
      int panel = column / PackedMatrix.PANEL;
      int panelStart = panel * PackedMatrix.PANEL;
      int width = w.panelWidth(panel);
      int to = Math.min(width, columnTo - panelStart);
      if (column != panelStart || to != PackedMatrix.PANEL) {
        Kernels.multiplyScalar(x, xOffset, xStride, rows, w, rowFrom, rowTo, column, panelStart + to,
            out, outOffset + column - columnFrom, outStride);
        column = panelStart + to;
        continue;
      }
      int base = w.panelOffset(panel);
      for (int t = 0; t < rows; t++) {
        int o = t * outStride + outOffset + panelStart - columnFrom;
        int xo = t * xStride + xOffset - rowFrom;
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
          int p = base + r * PackedMatrix.PANEL;
          a0 = FloatVector.fromArray(SPECIES, data, p).fma(xr, a0);
          a1 = FloatVector.fromArray(SPECIES, data, p + 8).fma(xr, a1);
          a2 = FloatVector.fromArray(SPECIES, data, p + 16).fma(xr, a2);
          a3 = FloatVector.fromArray(SPECIES, data, p + 24).fma(xr, a3);
          a4 = FloatVector.fromArray(SPECIES, data, p + 32).fma(xr, a4);
          a5 = FloatVector.fromArray(SPECIES, data, p + 40).fma(xr, a5);
          a6 = FloatVector.fromArray(SPECIES, data, p + 48).fma(xr, a6);
          a7 = FloatVector.fromArray(SPECIES, data, p + 56).fma(xr, a7);
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
      column = panelStart + PackedMatrix.PANEL;
    }
  }
}
