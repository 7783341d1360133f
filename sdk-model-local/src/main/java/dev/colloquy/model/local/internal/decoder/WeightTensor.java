package dev.colloquy.model.local.internal.decoder;

import dev.colloquy.model.local.internal.checkpoint.PanelMatrix;
import java.util.Arrays;

/**
 * One tensor's values in the encoding it is kept in: F32, F16/BF16 kept 16-bit, or ggml's Q8_0 and
 * Q4_0 blocks of 32 values. Row-major; a matrix [rows, columns] is quantized along its rows (each
 * row a whole number of blocks), as GGUF stores the [out, in] projections. The arrays are kept, not
 * copied, and never written after construction, so a tensor is immutable and thread-safe.
 *
 * <p>The block encodings hold a block's f16 scale widened to a float (exactly) in {@code scales}
 * and its quants apart in a byte array, so a kernel loads 32 (Q8_0) or 16 (Q4_0) contiguous bytes
 * per block.
 */
public sealed interface WeightTensor {

  /** Values per quantized block. */
  int BLOCK = 32;

  /** The number of values. */
  int size();

  /** The bytes its arrays hold (the weight bytes that one pass over it reads). */
  long byteSize();

  /** The encoding's name: F32, F16, BF16, Q8_0 or Q4_0. */
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

    @Override
    public float get(int index) {
      return brain ? bfloat16ToFloat(bits[index]) : halfToFloat(bits[index]);
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
   * ggml's Q8_0: value i = {@code quants[i] * scales[i / 32]}.
   *
   * @param scales one per block of 32 values
   * @param quants one signed byte per value
   */
  record Q8_0(float[] scales, byte[] quants) implements WeightTensor {
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
      return quants.length + 4L * scales.length;
    }

    @Override
    public String encoding() {
      return "Q8_0";
    }

    @Override
    public float get(int index) {
      return quants[index] * scales[index / BLOCK];
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
      float[] newScales = new float[scales.length];
      byte[] newQuants = new byte[quants.length];
      for (int i = 0; i < order.length; i++) {
        System.arraycopy(scales, order[i] * blocks, newScales, i * blocks, blocks);
        System.arraycopy(quants, order[i] * columns, newQuants, i * columns, columns);
      }
      return new Q8_0(newScales, newQuants);
    }
  }

  /**
   * ggml's Q4_0: block b's 16 bytes {@code nibbles[16b, 16b + 16)} hold value j of the block in
   * byte j's low nibble and value j + 16 in its high nibble, each an unsigned q; value = {@code (q
   * - 8) * scales[b]}.
   *
   * @param scales one per block of 32 values
   * @param nibbles 16 bytes per block
   */
  record Q4_0(float[] scales, byte[] nibbles) implements WeightTensor {
    public Q4_0 {
      if (nibbles.length != (long) scales.length * BLOCK / 2) {
        throw new IllegalArgumentException(
            scales.length + " Q4_0 scales do not fit " + nibbles.length + " bytes of nibbles");
      }
    }

    @Override
    public int size() {
      return nibbles.length * 2;
    }

    @Override
    public long byteSize() {
      return nibbles.length + 4L * scales.length;
    }

    @Override
    public String encoding() {
      return "Q4_0";
    }

    @Override
    public float get(int index) {
      int block = index / BLOCK;
      int j = index % BLOCK;
      int packed = nibbles[block * 16 + (j & 15)] & 0xff;
      int q = j < 16 ? packed & 0x0f : packed >>> 4;
      return (q - 8) * scales[block];
    }

    @Override
    public WeightTensor rows(int columns, int fromRow, int toRow) {
      return new Q4_0(
          Arrays.copyOfRange(scales, fromRow * columns / BLOCK, toRow * columns / BLOCK),
          Arrays.copyOfRange(nibbles, fromRow * columns / 2, toRow * columns / 2));
    }

    @Override
    public WeightTensor reorderRows(int columns, int[] order) {
      int blocks = columns / BLOCK;
      int bytes = columns / 2;
      float[] newScales = new float[scales.length];
      byte[] newNibbles = new byte[nibbles.length];
      for (int i = 0; i < order.length; i++) {
        System.arraycopy(scales, order[i] * blocks, newScales, i * blocks, blocks);
        System.arraycopy(nibbles, order[i] * bytes, newNibbles, i * bytes, bytes);
      }
      return new Q4_0(newScales, newNibbles);
    }
  }

  /**
   * Quantizes a matrix to Q8_0 as ggml's reference quantizer does (d = max|x| / 127, q = x / d
   * rounded half away from zero), except that d is kept as the float it computes rather than
   * rounded to f16.
   *
   * @throws IllegalArgumentException if the values are not whole blocks
   */
  static Q8_0 quantizeQ8_0(WeightTensor tensor) {
    int size = tensor.size();
    if (size % BLOCK != 0) {
      throw new IllegalArgumentException(size + " values are not whole blocks of " + BLOCK);
    }
    float[] scales = new float[size / BLOCK];
    byte[] quants = new byte[size];
    float[] block = new float[BLOCK];
    for (int b = 0; b < scales.length; b++) {
      tensor.copyTo(b * BLOCK, BLOCK, block, 0);
      float absMax = 0f;
      for (float value : block) {
        absMax = Math.max(absMax, Math.abs(value));
      }
      float d = absMax / 127f;
      float inverse = d != 0f ? 1f / d : 0f;
      scales[b] = d;
      for (int i = 0; i < BLOCK; i++) {
        float scaled = block[i] * inverse;
        quants[b * BLOCK + i] = (byte) (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled));
      }
    }
    return new Q8_0(scales, quants);
  }

  /** Widens IEEE half-precision bits to a float, exactly (subnormals, infinities and NaN kept). */
  static float halfToFloat(short bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      return Float.intBitsToFloat(sign) + (sign == 0 ? 1 : -1) * mantissa * 0x1p-24f;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** Widens bfloat16 bits to a float, exactly. */
  static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}
