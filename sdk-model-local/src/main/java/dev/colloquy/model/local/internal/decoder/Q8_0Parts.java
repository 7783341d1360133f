package dev.colloquy.model.local.internal.decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * The Q8_0 blocks of a [rows, columns] matrix, quantized one block at a time, in any order, into
 * parts of whole rows ({@link WeightTensor#rowsPerPart(int, long, int)}); the blocks are those of
 * the whole matrix quantized at once. Loaders use it to quantize as they read, so the whole
 * quantized matrix is never one large array.
 */
public final class Q8_0Parts {
  private final int columns;
  private final int blocksPerRow;
  private final int rowsPerPart;
  private final short[][] scales;
  private final byte[][] quants;

  /**
   * Allocates the parts of a matrix.
   *
   * @param rows the matrix's rows
   * @param columns values per row, whole blocks of 32
   * @param partBytes the most quant bytes of one part
   */
  public Q8_0Parts(int rows, int columns, int partBytes) {
    this.columns = columns;
    this.blocksPerRow = columns / WeightTensor.BLOCK;
    this.rowsPerPart = WeightTensor.rowsPerPart(rows, columns, partBytes);
    int count = (rows + rowsPerPart - 1) / rowsPerPart;
    scales = new short[count][];
    quants = new byte[count][];
    for (int p = 0; p < count; p++) {
      int partRows = Math.min(rowsPerPart, rows - p * rowsPerPart);
      scales[p] = new short[partRows * blocksPerRow];
      quants[p] = new byte[Math.multiplyExact(partRows, columns)];
    }
  }

  /** Quantizes {@code values[at, at + 32)} as block {@code block} of row {@code row}. */
  public void put(float[] values, int at, int row, int block) {
    WeightTensor.quantizeQ8_0Block(
        values,
        at,
        scales[row / rowsPerPart],
        quants[row / rowsPerPart],
        row % rowsPerPart * blocksPerRow + block);
  }

  /** The matrix: one Q8_0 tensor when it is one part, else its {@link WeightTensor.Rows}. */
  public WeightTensor tensor() {
    List<WeightTensor> parts = new ArrayList<>();
    for (int p = 0; p < scales.length; p++) {
      parts.add(new WeightTensor.Q8_0(scales[p], quants[p]));
    }
    return parts.size() == 1 ? parts.get(0) : new WeightTensor.Rows(parts, columns, rowsPerPart);
  }
}
