package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.checkpoint.PanelMatrix;

/**
 * A matrix [rows, columns] (rows = the input dimension) stored as panels of {@link #PANEL} columns
 * (the layout of {@link PanelMatrix}, which readers pack straight from a file): panel p holds
 * columns [64p, 64p + 64) as a row-major [rows, panelWidth(p)] block, and the panels follow one
 * another. A matrix-vector product over any column range therefore streams contiguous memory, and
 * so does any range of rows inside a panel; the kernels keep one panel row (64 floats, 8 AVX2
 * registers) of accumulators in registers.
 */
final class PackedMatrix {

  static final int PANEL = PanelMatrix.PANEL;

  private final float[] data; // panels in order; panel p at p * rows * PANEL
  private final int rows;
  private final int columns;

  private PackedMatrix(float[] data, int rows, int columns) {
    this.data = data;
    this.rows = rows;
    this.columns = columns;
  }

  /** Wraps a matrix a reader packed at load, without copying it. */
  static PackedMatrix of(PanelMatrix matrix) {
    return new PackedMatrix(matrix.data(), matrix.rows(), matrix.columns());
  }

  /** Packs {@code matrix} [rows, columns], row-major (the Conv1D layout [in, out]). */
  static PackedMatrix ofRowMajor(float[] matrix, int rows, int columns) {
    checkSize(matrix, rows, columns);
    return of(PanelMatrix.ofRowMajor(PanelMatrix.Values.of(matrix), rows, columns));
  }

  /**
   * Packs the transpose of {@code matrix} [columns, rows], row-major: e.g. the embedding [vocab,
   * width] as [width, vocab].
   */
  static PackedMatrix ofTransposed(float[] matrix, int rows, int columns) {
    checkSize(matrix, rows, columns);
    return of(PanelMatrix.ofTransposed(PanelMatrix.Values.of(matrix), rows, columns));
  }

  private static void checkSize(float[] matrix, int rows, int columns) {
    if ((long) rows * columns != matrix.length) {
      throw new IllegalArgumentException(
          "a " + rows + " x " + columns + " matrix cannot have " + matrix.length + " elements");
    }
  }

  float[] data() {
    return data;
  }

  int rows() {
    return rows;
  }

  int columns() {
    return columns;
  }

  /** Where panel p starts in {@link #data()}. */
  int panelOffset(int panel) {
    return panel * rows * PANEL;
  }

  /** The width of panel p (and so its row stride): 64, less for a last partial panel. */
  int panelWidth(int panel) {
    return Math.min(PANEL, columns - panel * PANEL);
  }

  float get(int row, int column) {
    int panel = column / PANEL;
    return data[panelOffset(panel) + row * panelWidth(panel) + column - panel * PANEL];
  }
}
