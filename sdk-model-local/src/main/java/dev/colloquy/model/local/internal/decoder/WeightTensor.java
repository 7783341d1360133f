package dev.colloquy.model.local.internal.decoder;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import dev.colloquy.model.local.internal.checkpoint.PanelMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One tensor's values in the encoding it is kept in: F32, F16/BF16 kept 16-bit, ggml's Q8_0 and
 * Q4_0 blocks of 32 values, or its Q4_K and Q6_K super-blocks of 256. Row-major; a matrix [rows,
 * columns] is quantized along its rows (each row a whole number of blocks), as GGUF stores the
 * [out, in] projections. The arrays are kept, not copied, and never written after construction, so
 * a tensor is immutable and thread-safe.
 *
 * <p>Design note (this file is long because each encoding is one record here). Every encoding holds
 * the bits of ggml's blocks, each array apart, so a kernel loads contiguous bits per 8 values. Q8_0
 * and Q4_0 keep their f16 scales as f16 (widened once per block of 32 values, and a float array
 * would add 2 bytes a block, 6% of Q8_0 and 11% of Q4_0); the K types' d and dmin, one per 256
 * values, are widened to floats at load. Per 8 values: Q8_0 8 quant bytes; the 4-bit types one int
 * of 8 nibbles in value order (ggml stores a block's values j and j + 16 in one byte; a kernel then
 * needs a broadcast, a per-lane shift and a mask per 8 values); Q6_K's 2 high bits one short per 8
 * values; K types' small scales unpacked to bytes. Bytes kept per file byte: Q8_0 34/34, Q4_0
 * 18/18, Q4_K 152/144, Q6_K 212/210. {@link #get} is the reference: it dequantizes as ggml does,
 * and {@link #copyTo} gives the same floats.
 */
public sealed interface WeightTensor {

  /** Values per quantized block (and per sub-block that K types keep together). */
  int BLOCK = 32;

  /** Values per K super-block. */
  int SUPER_BLOCK = 256;

  /** The number of values. */
  int size();

  /** The bytes its arrays hold (the weight bytes that one pass over it reads). */
  long byteSize();

  /** The encoding's name: F32, F16, BF16, Q8_0, Q4_0, Q4_K or Q6_K. */
  String encoding();

  /** Value {@code index} (row-major), widened or dequantized. */
  float get(int index);

  /**
   * Values {@code [from, from + count)} into {@code out[at, at + count)}, widened or dequantized.
   */
  default void copyTo(int from, int count, float[] out, int at) {
    for (int i = 0; i < count; i++) {
      out[at + i] = get(from + i);
    }
  }

  /** Every value as a new float array (or, for {@link F32}, the array it holds). */
  default float[] toFloats() {
    float[] values = new float[size()];
    copyTo(0, values.length, values, 0);
    return values;
  }

  /**
   * Rows {@code [fromRow, toRow)} of this matrix with {@code columns} values a row, in the same
   * encoding.
   */
  WeightTensor rows(int columns, int fromRow, int toRow);

  /**
   * This matrix with its rows reordered: row i of the result is row {@code order[i]} of this one.
   */
  WeightTensor reorderRows(int columns, int[] order);

  /** 32-bit floats. */
  record F32(float[] values) implements WeightTensor {
    @Override
    public int size() {
      return values.length;
    }

    @Override
    public long byteSize() {
      return 4L * values.length;
    }

    @Override
    public String encoding() {
      return "F32";
    }

    @Override
    public float get(int index) {
      return values[index];
    }

    @Override
    public void copyTo(int from, int count, float[] out, int at) {
      System.arraycopy(values, from, out, at, count);
    }

    @Override
    public float[] toFloats() {
      return values;
    }

    @Override
    public WeightTensor rows(int columns, int fromRow, int toRow) {
      return new F32(Arrays.copyOfRange(values, fromRow * columns, toRow * columns));
    }

    @Override
    public WeightTensor reorderRows(int columns, int[] order) {
      float[] reordered = new float[values.length];
      for (int i = 0; i < order.length; i++) {
        System.arraycopy(values, order[i] * columns, reordered, i * columns, columns);
      }
      return new F32(reordered);
    }
  }

  /**
   * 32-bit floats of a matrix [rows, columns] (a projection [out, in], an embedding [vocab, width])
   * held as the panels of its transpose [columns, rows], the layout the Java engine multiplies by,
   * so that a reader packs it once and the engine keeps that array. Value i (row-major) is {@code
   * transposed.get(i % columns, i / columns)}.
   *
   * @param transposed the matrix [columns, rows] in panels
   */
  record PackedF32(PanelMatrix transposed) implements WeightTensor {
    @Override
    public int size() {
      return transposed.rows() * transposed.columns();
    }

    @Override
    public long byteSize() {
      return 4L * size();
    }

    @Override
    public String encoding() {
      return "F32";
    }

    @Override
    public float get(int index) {
      int columns = transposed.rows();
      return transposed.get(index % columns, index / columns);
    }

    @Override
    public void copyTo(int from, int count, float[] out, int at) {
      int columns = transposed.rows();
      int done = 0;
      while (done < count) {
        int tensorRow = (from + done) / columns; // a column of the panels
        int tensorColumn = (from + done) % columns;
        int n = Math.min(count - done, columns - tensorColumn);
        transposed.copyColumn(tensorRow, tensorColumn, n, out, at + done);
        done += n;
      }
    }

    @Override
    public WeightTensor rows(int columns, int fromRow, int toRow) {
      return new PackedF32(
          PanelMatrix.ofTransposed(
              (from, into, at, count) ->
                  copyTo(Math.toIntExact(fromRow * (long) columns + from), count, into, at),
              columns,
              toRow - fromRow));
    }

    @Override
    public WeightTensor reorderRows(int columns, int[] order) {
      return new PackedF32(
          PanelMatrix.ofTransposed(
              (from, into, at, count) -> {
                for (int i = 0; i < count; i++) {
                  long index = from + i;
                  into[at + i] =
                      get(order[(int) (index / columns)] * columns + (int) (index % columns));
                }
              },
              columns,
              order.length));
    }
  }

  /**
   * 16-bit floats, widened on use: IEEE half precision, or bfloat16 when {@code brain}.
   *
   * @param bits the raw 16-bit values
   * @param brain true for bfloat16, false for IEEE half precision
   */
  record Halves(short[] bits, boolean brain) implements WeightTensor {
    @Override
    public int size() {
      return bits.length;
    }

    @Override
    public long byteSize() {
      return 2L * bits.length;
    }

    @Override
    public String encoding() {
      return brain ? "BF16" : "F16";
    }

    // Every half precision value widened, so copying a row costs a table load per value.
    private static final float[] HALF_VALUES = halfValues();

    private static float[] halfValues() {
      float[] values = new float[1 << 16];
      for (int bits = 0; bits < values.length; bits++) {
        values[bits] = HalfFloats.toFloat((short) bits);
      }
      return values;
    }

    @Override
    public float get(int index) {
      return brain ? bfloat16ToFloat(bits[index]) : HalfFloats.toFloat(bits[index]);
    }

    @Override
    public void copyTo(int from, int count, float[] out, int at) {
      if (brain) {
        for (int i = 0; i < count; i++) {
          out[at + i] = Float.intBitsToFloat(bits[from + i] << 16);
        }
      } else {
        float[] values = HALF_VALUES;
        for (int i = 0; i < count; i++) {
          out[at + i] = values[bits[from + i] & 0xffff];
        }
      }
    }

    @Override
    public WeightTensor rows(int columns, int fromRow, int toRow) {
      return new Halves(Arrays.copyOfRange(bits, fromRow * columns, toRow * columns), brain);
    }

    @Override
    public WeightTensor reorderRows(int columns, int[] order) {
      short[] reordered = new short[bits.length];
      for (int i = 0; i < order.length; i++) {
        System.arraycopy(bits, order[i] * columns, reordered, i * columns, columns);
      }
      return new Halves(reordered, brain);
    }
  }

  /**
   * ggml's Q8_0: value i = {@code quants[i] * scale(i / 32)}.
   *
   * @param scales one per block of 32 values, IEEE half-precision bits as in the file
   * @param quants one signed byte per value
   */
  record Q8_0(short[] scales, byte[] quants) implements WeightTensor {
    public Q8_0 {
      if (quants.length != (long) scales.length * BLOCK) {
        throw new IllegalArgumentException(
            scales.length + " Q8_0 scales do not fit " + quants.length + " quants");
      }
    }

    @Override
    public int size() {
      return quants.length;
    }

    @Override
    public long byteSize() {
      return quants.length + 2L * scales.length;
    }

    @Override
    public String encoding() {
      return "Q8_0";
    }

    /** Block {@code block}'s scale, widened. */
    public float scale(int block) {
      return HalfFloats.toFloat(scales[block]);
    }

    @Override
    public float get(int index) {
      return quants[index] * scale(index / BLOCK);
    }

    @Override
    public void copyTo(int from, int count, float[] out, int at) {
      int i = 0;
      while (i < count) {
        int index = from + i;
        int block = index / BLOCK;
        int run = Math.min(count - i, (block + 1) * BLOCK - index);
        float scale = scale(block);
        for (int j = 0; j < run; j++) {
          out[at + i + j] = quants[index + j] * scale;
        }
        i += run;
      }
    }

    @Override
    public WeightTensor rows(int columns, int fromRow, int toRow) {
      return new Q8_0(
          Arrays.copyOfRange(scales, fromRow * columns / BLOCK, toRow * columns / BLOCK),
          Arrays.copyOfRange(quants, fromRow * columns, toRow * columns));
    }

    @Override
    public WeightTensor reorderRows(int columns, int[] order) {
      int blocks = columns / BLOCK;
      short[] newScales = new short[scales.length];
      byte[] newQuants = new byte[quants.length];
      for (int i = 0; i < order.length; i++) {
        System.arraycopy(scales, order[i] * blocks, newScales, i * blocks, blocks);
        System.arraycopy(quants, order[i] * columns, newQuants, i * columns, columns);
      }
      return new Q8_0(newScales, newQuants);
    }
  }

  /**
   * ggml's Q4_0: value i = (q - 8) * scale(i / 32), q the unsigned nibble {@code (nibbles[i / 8]
   * >>> 4 * (i % 8)) & 15}: each int holds 8 consecutive values (the file's 16 bytes of a block,
   * value j in byte j's low nibble and j + 16 in its high one, regrouped at load).
   *
   * @param scales one per block of 32 values, IEEE half-precision bits as in the file
   * @param nibbles 4 ints per block
   */
  record Q4_0(short[] scales, int[] nibbles) implements WeightTensor {
    public Q4_0 {
      if (nibbles.length != (long) scales.length * 4) {
        throw new IllegalArgumentException(
            scales.length + " Q4_0 scales do not fit " + nibbles.length + " ints of nibbles");
      }
    }

    @Override
    public int size() {
      return nibbles.length * 8;
    }

    @Override
    public long byteSize() {
      return 4L * nibbles.length + 2L * scales.length;
    }

    @Override
    public String encoding() {
      return "Q4_0";
    }

    /** Block {@code block}'s scale, widened. */
    public float scale(int block) {
      return HalfFloats.toFloat(scales[block]);
    }

    @Override
    public float get(int index) {
      return (nibble(nibbles, index) - 8) * scale(index / BLOCK);
    }

    @Override
    public void copyTo(int from, int count, float[] out, int at) {
      int i = 0;
      for (; i < count && (from + i) % 8 != 0; i++) {
        out[at + i] = get(from + i);
      }
      for (; i + 8 <= count; i += 8) {
        int bits = nibbles[(from + i) / 8];
        float scale = scale((from + i) / BLOCK);
        for (int k = 0; k < 8; k++) {
          out[at + i + k] = (((bits >>> (4 * k)) & 15) - 8) * scale;
        }
      }
      for (; i < count; i++) {
        out[at + i] = get(from + i);
      }
    }

    @Override
    public WeightTensor rows(int columns, int fromRow, int toRow) {
      return new Q4_0(
          rowsOf(scales, columns / BLOCK, fromRow, toRow),
          rowsOf(nibbles, columns / 8, fromRow, toRow));
    }

    @Override
    public WeightTensor reorderRows(int columns, int[] order) {
      return new Q4_0(
          reorder(scales, columns / BLOCK, order), reorder(nibbles, columns / 8, order));
    }
  }

  /**
   * ggml's Q4_K: super-blocks of 256 values, each with a {@code d} and a {@code dmin} (ggml's f16s,
   * widened) and 8 sub-blocks of 32 values with a 6-bit scale and a 6-bit min. Sub-block s (counted
   * over the tensor) has its scale in {@code scalesAndMins[2s]} and its min in {@code
   * scalesAndMins[2s + 1]}; value i's unsigned q is the nibble {@code (nibbles[i / 8] >>> 4 * (i %
   * 8)) & 15}; value = d * scale * q - dmin * min, in ggml's order of operations.
   *
   * @param d one per super-block
   * @param dmin one per super-block
   * @param scalesAndMins 16 bytes per super-block
   * @param nibbles 32 ints per super-block
   */
  record Q4_K(float[] d, float[] dmin, byte[] scalesAndMins, int[] nibbles)
      implements WeightTensor {
    public Q4_K {
      long blocks = d.length;
      if (dmin.length != blocks
          || scalesAndMins.length != blocks * 16
          || nibbles.length != blocks * 32) {
        throw new IllegalArgumentException(
            "Q4_K arrays of "
                + d.length
                + ", "
                + dmin.length
                + ", "
                + scalesAndMins.length
                + " and "
                + nibbles.length
                + " do not make whole super-blocks");
      }
    }

    @Override
    public int size() {
      return nibbles.length * 8;
    }

    @Override
    public long byteSize() {
      return 8L * d.length + scalesAndMins.length + 4L * nibbles.length;
    }

    @Override
    public String encoding() {
      return "Q4_K";
    }

    @Override
    public float get(int index) {
      int sub = index / BLOCK;
      int block = index / SUPER_BLOCK;
      return d[block] * scalesAndMins[2 * sub] * nibble(nibbles, index)
          - dmin[block] * scalesAndMins[2 * sub + 1];
    }

    @Override
    public void copyTo(int from, int count, float[] out, int at) {
      int i = 0;
      for (; i < count && (from + i) % 8 != 0; i++) {
        out[at + i] = get(from + i);
      }
      for (; i + 8 <= count; i += 8) {
        int index = from + i;
        int bits = nibbles[index / 8];
        int sub = index / BLOCK;
        float scale = d[index / SUPER_BLOCK] * scalesAndMins[2 * sub];
        float min = dmin[index / SUPER_BLOCK] * scalesAndMins[2 * sub + 1];
        for (int k = 0; k < 8; k++) {
          out[at + i + k] = scale * ((bits >>> (4 * k)) & 15) - min;
        }
      }
      for (; i < count; i++) {
        out[at + i] = get(from + i);
      }
    }

    @Override
    public WeightTensor rows(int columns, int fromRow, int toRow) {
      int blocks = superBlocksPerRow("Q4_K", columns);
      return new Q4_K(
          rowsOf(d, blocks, fromRow, toRow),
          rowsOf(dmin, blocks, fromRow, toRow),
          rowsOf(scalesAndMins, 16 * blocks, fromRow, toRow),
          rowsOf(nibbles, 32 * blocks, fromRow, toRow));
    }

    @Override
    public WeightTensor reorderRows(int columns, int[] order) {
      int blocks = superBlocksPerRow("Q4_K", columns);
      return new Q4_K(
          reorder(d, blocks, order),
          reorder(dmin, blocks, order),
          reorder(scalesAndMins, 16 * blocks, order),
          reorder(nibbles, 32 * blocks, order));
    }
  }

  /**
   * ggml's Q6_K: super-blocks of 256 values, each with a {@code d} (ggml's f16, widened) and 16
   * signed 8-bit scales, one per 16 values ({@code scales[i / 16]}), and a 6-bit q per value kept
   * as its low nibble {@code (nibbles[i / 8] >>> 4 * (i % 8)) & 15} and its 2 high bits {@code
   * (highBits[i / 8] >>> 2 * (i % 8)) & 3}; value = d * scale * (q - 32), in ggml's order of
   * operations.
   *
   * @param d one per super-block
   * @param scales 16 per super-block
   * @param nibbles 32 ints per super-block
   * @param highBits 32 shorts per super-block
   */
  record Q6_K(float[] d, byte[] scales, int[] nibbles, short[] highBits) implements WeightTensor {
    public Q6_K {
      long blocks = d.length;
      if (scales.length != blocks * 16
          || nibbles.length != blocks * 32
          || highBits.length != blocks * 32) {
        throw new IllegalArgumentException(
            "Q6_K arrays of "
                + d.length
                + ", "
                + scales.length
                + ", "
                + nibbles.length
                + " and "
                + highBits.length
                + " do not make whole super-blocks");
      }
    }

    @Override
    public int size() {
      return nibbles.length * 8;
    }

    @Override
    public long byteSize() {
      return 4L * d.length + scales.length + 4L * nibbles.length + 2L * highBits.length;
    }

    @Override
    public String encoding() {
      return "Q6_K";
    }

    @Override
    public float get(int index) {
      int high = (highBits[index / 8] >>> (2 * (index % 8))) & 3;
      int q = nibble(nibbles, index) | (high << 4);
      return d[index / SUPER_BLOCK] * scales[index / 16] * (q - 32);
    }

    @Override
    public void copyTo(int from, int count, float[] out, int at) {
      int i = 0;
      for (; i < count && (from + i) % 8 != 0; i++) {
        out[at + i] = get(from + i);
      }
      for (; i + 8 <= count; i += 8) {
        int index = from + i;
        int bits = nibbles[index / 8];
        int high = highBits[index / 8];
        float scale = d[index / SUPER_BLOCK] * scales[index / 16];
        for (int k = 0; k < 8; k++) {
          int q = ((bits >>> (4 * k)) & 15) | (((high >>> (2 * k)) & 3) << 4);
          out[at + i + k] = scale * (q - 32);
        }
      }
      for (; i < count; i++) {
        out[at + i] = get(from + i);
      }
    }

    @Override
    public WeightTensor rows(int columns, int fromRow, int toRow) {
      int blocks = superBlocksPerRow("Q6_K", columns);
      return new Q6_K(
          rowsOf(d, blocks, fromRow, toRow),
          rowsOf(scales, 16 * blocks, fromRow, toRow),
          rowsOf(nibbles, 32 * blocks, fromRow, toRow),
          rowsOf(highBits, 32 * blocks, fromRow, toRow));
    }

    @Override
    public WeightTensor reorderRows(int columns, int[] order) {
      int blocks = superBlocksPerRow("Q6_K", columns);
      return new Q6_K(
          reorder(d, blocks, order),
          reorder(scales, 16 * blocks, order),
          reorder(nibbles, 32 * blocks, order),
          reorder(highBits, 32 * blocks, order));
    }
  }

  /** The unsigned nibble of value i, where each int holds 8 consecutive values. */
  private static int nibble(int[] nibbles, int index) {
    return (nibbles[index / 8] >>> (4 * (index % 8))) & 15;
  }

  private static int superBlocksPerRow(String encoding, int columns) {
    if (columns % SUPER_BLOCK != 0) {
      throw new IllegalArgumentException(
          encoding
              + " rows of "
              + columns
              + " values are not whole super-blocks of "
              + SUPER_BLOCK);
    }
    return columns / SUPER_BLOCK;
  }

  /**
   * A matrix of block-encoded rows kept as several tensors of whole rows, {@code rowsPerPart} rows
   * each (the last may have fewer), all in one encoding. Why: G1 gives an array of more than half a
   * region whole regions of its own, so a matrix of exactly 4 MiB (2048 x 2048 Q8_0) plus its array
   * header takes five 1 MiB regions, and a model of such matrices loses about one region per matrix
   * (over 100 MB on Llama-3.2-1B). Parts just under 1 MiB fill their regions. Built by {@link
   * #split}; the kernels see the parts, one at a time.
   *
   * @param parts the parts, rows in order; two or more, none itself a {@code Rows}
   * @param columns values per row
   * @param rowsPerPart rows of every part but the last
   */
  record Rows(List<WeightTensor> parts, int columns, int rowsPerPart) implements WeightTensor {
    public Rows {
      parts = List.copyOf(parts);
      if (parts.size() < 2 || columns < 1 || rowsPerPart < 1) {
        throw new IllegalArgumentException("rows need two or more parts, columns and rows a part");
      }
      for (int i = 0; i < parts.size(); i++) {
        WeightTensor part = parts.get(i);
        int rows = part.size() / columns;
        boolean last = i == parts.size() - 1;
        if (part instanceof Rows
            || part.size() % columns != 0
            || !part.encoding().equals(parts.get(0).encoding())
            || (last ? rows < 1 || rows > rowsPerPart : rows != rowsPerPart)) {
          throw new IllegalArgumentException(
              "part " + i + " (" + part.encoding() + ", " + part.size() + " values) does not fit");
        }
      }
    }

    @Override
    public int size() {
      return parts.stream().mapToInt(WeightTensor::size).sum();
    }

    @Override
    public long byteSize() {
      return parts.stream().mapToLong(WeightTensor::byteSize).sum();
    }

    @Override
    public String encoding() {
      return parts.get(0).encoding();
    }

    @Override
    public float get(int index) {
      int perPart = rowsPerPart * columns;
      return parts.get(index / perPart).get(index % perPart);
    }

    @Override
    public void copyTo(int from, int count, float[] out, int at) {
      int perPart = rowsPerPart * columns;
      int done = 0;
      while (done < count) {
        int index = from + done;
        int run = Math.min(count - done, perPart - index % perPart);
        parts.get(index / perPart).copyTo(index % perPart, run, out, at + done);
        done += run;
      }
    }

    @Override
    public WeightTensor rows(int columns, int fromRow, int toRow) {
      List<WeightTensor> slices = new ArrayList<>();
      for (int p = 0; p < parts.size(); p++) {
        int first = p * rowsPerPart;
        int end = first + parts.get(p).size() / columns;
        if (end > fromRow && first < toRow) {
          slices.add(
              parts
                  .get(p)
                  .rows(columns, Math.max(fromRow, first) - first, Math.min(toRow, end) - first));
        }
      }
      return split(stack(slices), columns, rowsPerPart);
    }

    @Override
    public WeightTensor reorderRows(int columns, int[] order) {
      return split(stack(parts).reorderRows(columns, order), columns, rowsPerPart);
    }
  }

  /**
   * The most bytes one array of a {@link Rows} part holds: 64 under 1 MiB, so a part's largest
   * array, header included, fills one 1 MiB G1 region, and stays under half of any larger region
   * (then it is no humongous object at all).
   */
  int PART_BYTES = (1 << 20) - 64;

  /**
   * The rows one part holds when a row adds {@code rowBytes} to the part's largest array: a
   * multiple of 8 (whole tiles of the kernels) where a part holds 8 rows or more.
   */
  static int rowsPerPart(long rowBytes, int partBytes) {
    int rows = (int) Math.max(1, partBytes / Math.max(1, rowBytes));
    return rows >= 8 ? rows / 8 * 8 : rows;
  }

  /**
   * As {@link #rowsPerPart(long, int)} for a matrix of {@code rows} rows, unless its last part (or
   * the whole matrix, when it fits one part) would hold between half and seven eighths of {@code
   * partBytes}: such an array is a humongous object under G1 that leaves an eighth or more of its
   * region empty (GPT-2 small's 768 × 768 matrices: 434 KB of a 1 MiB region). Then every part
   * stays under half of {@code partBytes}, an ordinary object.
   */
  static int rowsPerPart(int rows, long rowBytes, int partBytes) {
    int perPart = rowsPerPart(rowBytes, partBytes);
    long last = (rows % perPart == 0 ? Math.min(rows, perPart) : rows % perPart) * rowBytes;
    boolean wasteful = 2 * last >= partBytes && 8 * last < 7L * partBytes;
    return wasteful
        ? Math.min(rows, rowsPerPart(rowBytes, partBytes / 2))
        : Math.min(rows, perPart);
  }

  /**
   * The matrix as {@link Rows} of {@code rowsPerPart} rows, or itself when it has no more rows than
   * that.
   */
  static WeightTensor split(WeightTensor matrix, int columns, int rowsPerPart) {
    int rows = matrix.size() / columns;
    if (rows <= rowsPerPart) {
      return matrix;
    }
    List<WeightTensor> parts = new ArrayList<>();
    for (int first = 0; first < rows; first += rowsPerPart) {
      parts.add(matrix.rows(columns, first, Math.min(rows, first + rowsPerPart)));
    }
    return new Rows(parts, columns, rowsPerPart);
  }

  /** The tensors' values one after another, in their common encoding (F32, 16-bit or blocks). */
  static WeightTensor stack(List<WeightTensor> tensors) {
    if (tensors.size() == 1) {
      return tensors.get(0);
    }
    WeightTensor first = tensors.get(0);
    for (WeightTensor t : tensors) {
      if (t.getClass() != first.getClass() || !t.encoding().equals(first.encoding())) {
        throw new IllegalArgumentException(
            "cannot stack " + t.encoding() + " on " + first.encoding());
      }
    }
    if (first instanceof F32) {
      return new F32(concat(tensors, t -> ((F32) t).values(), float[]::new));
    } else if (first instanceof Halves h) {
      return new Halves(concat(tensors, t -> ((Halves) t).bits(), short[]::new), h.brain());
    } else if (first instanceof Q8_0) {
      return new Q8_0(
          concat(tensors, t -> ((Q8_0) t).scales(), short[]::new),
          concat(tensors, t -> ((Q8_0) t).quants(), byte[]::new));
    } else if (first instanceof Q4_0) {
      return new Q4_0(
          concat(tensors, t -> ((Q4_0) t).scales(), short[]::new),
          concat(tensors, t -> ((Q4_0) t).nibbles(), int[]::new));
    } else if (first instanceof Q4_K) {
      return new Q4_K(
          concat(tensors, t -> ((Q4_K) t).d(), float[]::new),
          concat(tensors, t -> ((Q4_K) t).dmin(), float[]::new),
          concat(tensors, t -> ((Q4_K) t).scalesAndMins(), byte[]::new),
          concat(tensors, t -> ((Q4_K) t).nibbles(), int[]::new));
    } else if (first instanceof Q6_K) {
      return new Q6_K(
          concat(tensors, t -> ((Q6_K) t).d(), float[]::new),
          concat(tensors, t -> ((Q6_K) t).scales(), byte[]::new),
          concat(tensors, t -> ((Q6_K) t).nibbles(), int[]::new),
          concat(tensors, t -> ((Q6_K) t).highBits(), short[]::new));
    }
    throw new IllegalArgumentException(
        first.encoding() + " " + first.getClass().getSimpleName() + " tensors are not stacked");
  }

  /** One array of the tensors' arrays one after another (any primitive array type). */
  private static <A> A concat(
      List<WeightTensor> tensors, Function<WeightTensor, A> array, IntFunction<A> create) {
    int length = 0;
    for (WeightTensor t : tensors) {
      length += java.lang.reflect.Array.getLength(array.apply(t));
    }
    A all = create.apply(length);
    int at = 0;
    for (WeightTensor t : tensors) {
      A a = array.apply(t);
      int n = java.lang.reflect.Array.getLength(a);
      System.arraycopy(a, 0, all, at, n);
      at += n;
    }
    return all;
  }

  private static float[] rowsOf(float[] values, int perRow, int fromRow, int toRow) {
    return Arrays.copyOfRange(values, fromRow * perRow, toRow * perRow);
  }

  private static byte[] rowsOf(byte[] values, int perRow, int fromRow, int toRow) {
    return Arrays.copyOfRange(values, fromRow * perRow, toRow * perRow);
  }

  private static int[] rowsOf(int[] values, int perRow, int fromRow, int toRow) {
    return Arrays.copyOfRange(values, fromRow * perRow, toRow * perRow);
  }

  private static short[] rowsOf(short[] values, int perRow, int fromRow, int toRow) {
    return Arrays.copyOfRange(values, fromRow * perRow, toRow * perRow);
  }

  private static int[] reorder(int[] values, int perRow, int[] order) {
    int[] reordered = new int[values.length];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(values, order[i] * perRow, reordered, i * perRow, perRow);
    }
    return reordered;
  }

  private static short[] reorder(short[] values, int perRow, int[] order) {
    short[] reordered = new short[values.length];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(values, order[i] * perRow, reordered, i * perRow, perRow);
    }
    return reordered;
  }

  private static float[] reorder(float[] values, int perRow, int[] order) {
    float[] reordered = new float[values.length];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(values, order[i] * perRow, reordered, i * perRow, perRow);
    }
    return reordered;
  }

  private static byte[] reorder(byte[] values, int perRow, int[] order) {
    byte[] reordered = new byte[values.length];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(values, order[i] * perRow, reordered, i * perRow, perRow);
    }
    return reordered;
  }

  /**
   * Quantizes a matrix to Q8_0 as ggml's reference quantizer does (d = max|x| / 127, q = x / d
   * rounded half away from zero; d kept as f16, the quants computed with the unrounded d).
   *
   * @throws IllegalArgumentException if the values are not whole blocks
   */
  static Q8_0 quantizeQ8_0(WeightTensor tensor) {
    int size = tensor.size();
    if (size % BLOCK != 0) {
      throw new IllegalArgumentException(size + " values are not whole blocks of " + BLOCK);
    }
    short[] scales = new short[size / BLOCK];
    byte[] quants = new byte[size];
    float[] block = new float[BLOCK];
    for (int b = 0; b < scales.length; b++) {
      tensor.copyTo(b * BLOCK, BLOCK, block, 0);
      quantizeQ8_0Block(block, 0, scales, quants, b);
    }
    return new Q8_0(scales, quants);
  }

  /**
   * {@link #quantizeQ8_0(WeightTensor)} for a matrix of {@code columns} values a row, built
   * straight into {@link Rows} parts of {@link #PART_BYTES} (or one Q8_0 tensor when it fits one
   * part), so the whole quantized matrix is never one large array. The blocks are those of the
   * whole matrix.
   *
   * @throws IllegalArgumentException if the rows are not whole blocks
   */
  static WeightTensor quantizeQ8_0(WeightTensor tensor, int columns) {
    if (columns < 1 || columns % BLOCK != 0 || tensor.size() % columns != 0) {
      throw new IllegalArgumentException(
          "rows of " + columns + " values are not whole blocks of " + BLOCK);
    }
    int blocksPerRow = columns / BLOCK;
    Q8_0Parts parts = new Q8_0Parts(tensor.size() / columns, columns, PART_BYTES);
    float[] block = new float[BLOCK];
    for (int b = 0; b < tensor.size() / BLOCK; b++) {
      tensor.copyTo(b * BLOCK, BLOCK, block, 0);
      parts.put(block, 0, b / blocksPerRow, b % blocksPerRow);
    }
    return parts.tensor();
  }

  /**
   * Quantizes the 32 values {@code values[at, at + 32)} into Q8_0 block {@code block} of {@code
   * scales} and {@code quants}, with ggml's reference rounding (the scale is the largest magnitude
   * ÷ 127; each value rounded half away from zero), as {@link #quantizeQ8_0} does block by block.
   */
  static void quantizeQ8_0Block(float[] values, int at, short[] scales, byte[] quants, int block) {
    float absMax = 0f;
    for (int i = 0; i < BLOCK; i++) {
      absMax = Math.max(absMax, Math.abs(values[at + i]));
    }
    float d = absMax / 127f;
    float inverse = d != 0f ? 1f / d : 0f;
    scales[block] = HalfFloats.fromFloat(d);
    for (int i = 0; i < BLOCK; i++) {
      float scaled = values[at + i] * inverse;
      quants[block * BLOCK + i] = (byte) (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled));
    }
  }

  /** Widens bfloat16 bits to a float, exactly. */
  static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}
