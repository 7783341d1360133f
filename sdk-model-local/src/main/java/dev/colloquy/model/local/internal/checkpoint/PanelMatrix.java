package dev.colloquy.model.local.internal.checkpoint;

/**
 * An F32 matrix [rows, columns] (rows = the input dimension) in the layout the Java engine
 * multiplies by: panels of {@link #PANEL} columns; panel p holds columns [64p, 64p + 64) as a
 * row-major [rows, panelWidth(p)] block, and the panels follow one another.
 *
 * <p>A reader packs a tensor straight into it from a {@link Values} source, one row or one panel of
 * rows at a time, so at load a matrix never exists twice. The array is never written after
 * construction: immutable and thread-safe.
 */
public final class PanelMatrix {

  /** Columns per panel: one panel row is 64 floats, 8 AVX2 registers of accumulators. */
  public static final int PANEL = 64;

  private final float[] data; // panels in order; panel p at p * rows * PANEL
  private final int rows;
  private final int columns;

  /** A tensor's values, row-major, read a range at a time: from a file, or from an array. */
  @FunctionalInterface
  public interface Values {

    /** Copies values {@code [from, from + count)} into {@code into[at, at + count)}. */
    void read(long from, float[] into, int at, int count);

    /** The values of an array. */
    static Values of(float[] array) {
      return (from, into, at, count) ->
          System.arraycopy(array, Math.toIntExact(from), into, at, count);
    }
  }

  private PanelMatrix(float[] data, int rows, int columns) {
    this.data = data;
    this.rows = rows;
    this.columns = columns;
  }

  /** Packs a matrix [rows, columns] stored row-major (the Conv1D layout [in, out]). */
  public static PanelMatrix ofRowMajor(Values source, int rows, int columns) {
    return ofRowMajor(source, rows, columns, identity(columns));
  }

  /**
   * Packs a matrix [rows, columns] stored row-major with its columns reordered: column c of the
   * result is column {@code columnOrder[c]} of the source.
   */
  public static PanelMatrix ofRowMajor(Values source, int rows, int columns, int[] columnOrder) {
    if (columnOrder.length != columns) {
      throw new IllegalArgumentException(
          columnOrder.length + " column indices for " + columns + " columns");
    }
    float[] data = allocate(rows, columns);
    float[] row = new float[columns];
    float[] ordered = new float[columns];
    for (int r = 0; r < rows; r++) {
      source.read((long) r * columns, row, 0, columns);
      for (int c = 0; c < columns; c++) {
        ordered[c] = row[columnOrder[c]];
      }
      for (int panel = 0; panel * PANEL < columns; panel++) {
        int start = panel * PANEL;
        int width = Math.min(PANEL, columns - start);
        System.arraycopy(ordered, start, data, panel * rows * PANEL + r * width, width);
      }
    }
    return new PanelMatrix(data, rows, columns);
  }

  /**
   * Packs the transpose of a matrix [columns, rows] stored row-major: a Hugging Face projection
   * [out, in] as [in, out], or an embedding [vocab, width] as [width, vocab]. Panel p is the
   * transpose of the source's rows [64p, 64p + 64), read together.
   */
  public static PanelMatrix ofTransposed(Values source, int rows, int columns) {
    float[] data = allocate(rows, columns);
    float[] block = new float[Math.min(PANEL, columns) * rows]; // [panelWidth, rows]
    for (int panel = 0; panel * PANEL < columns; panel++) {
      int start = panel * PANEL;
      int width = Math.min(PANEL, columns - start);
      int base = panel * rows * PANEL;
      source.read((long) start * rows, block, 0, width * rows);
      for (int c = 0; c < width; c++) {
        for (int r = 0; r < rows; r++) {
          data[base + r * width + c] = block[c * rows + r];
        }
      }
    }
    return new PanelMatrix(data, rows, columns);
  }

  private static float[] allocate(int rows, int columns) {
    if (rows < 0 || columns < 0 || (long) rows * columns > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a " + rows + " x " + columns + " matrix does not fit one Java array");
    }
    return new float[rows * columns];
  }

  private static int[] identity(int columns) {
    int[] order = new int[columns];
    for (int c = 0; c < columns; c++) {
      order[c] = c;
    }
    return order;
  }

  /** The panels, in order; panel p starts at {@link #panelOffset(int)}. Not to be written. */
  public float[] data() {
    return data;
  }

  /** The rows (the input dimension). */
  public int rows() {
    return rows;
  }

  /** The columns (the output dimension). */
  public int columns() {
    return columns;
  }

  /** Where panel p starts in {@link #data()}. */
  public int panelOffset(int panel) {
    return panel * rows * PANEL;
  }

  /** The width of panel p (and so its row stride): 64, less for a last partial panel. */
  public int panelWidth(int panel) {
    return Math.min(PANEL, columns - panel * PANEL);
  }

  /** The value at [row, column]. */
  public float get(int row, int column) {
    int panel = column / PANEL;
    return data[panelOffset(panel) + row * panelWidth(panel) + column - panel * PANEL];
  }

  /**
   * Copies {@code count} values of column {@code column} from row {@code fromRow} on into {@code
   * out[at, at + count)}: a row of the transposed source, for an embedding lookup or an unpacking.
   */
  public void copyColumn(int column, int fromRow, int count, float[] out, int at) {
    int panel = column / PANEL;
    int width = panelWidth(panel);
    int index = panelOffset(panel) + fromRow * width + column - panel * PANEL;
    for (int i = 0; i < count; i++, index += width) {
      out[at + i] = data[index];
    }
  }
}
