package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Builds a tensor in the layout the runtime computes on ({@link WeightTensor}) from ggml's blocks,
 * a run of blocks at a time, so a reader maps a chunk of the file at a time and never holds the
 * tensor as floats. F16/BF16 are kept as their bits; Q8_0 as f16 scales and quant bytes; the 4-bit
 * types' nibbles regrouped into one int per 8 values in value order, Q6_K's high bits into one
 * short per 8 values, Q4_K's packed 6-bit scales and mins unpacked to bytes. Not thread-safe; the
 * tensor it builds is.
 */
public final class KeptBlocks {

  private static final Set<GgmlType> KEPT =
      Set.of(
          GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K);

  private final GgmlType type;
  private final short[] halves; // F16/BF16
  private final short[] halfScales; // Q8_0/Q4_0: per block, f16 as in the file
  private final float[] scales; // Q4_K/Q6_K: d per super-block
  private final float[] mins; // Q4_K: dmin per super-block
  private final byte[] small; // Q8_0: quants; Q4_K: scales and mins; Q6_K: scales
  private final int[] nibbles; // Q4_0/Q4_K/Q6_K
  private final short[] highBits; // Q6_K
  private final int[] values = new int[256]; // one block's quants in value order

  /** Whether {@code type} is kept as it is (else it is widened to F32 at load). */
  public static boolean keeps(GgmlType type) {
    return KEPT.contains(type);
  }

  /**
   * The rows of {@code columns} values that one part of a block-type matrix holds, a multiple of 8
   * where a part holds 8 rows or more; {@link Integer#MAX_VALUE} for the 16-bit types, which are
   * not split (and for rows that are not whole blocks).
   */
  static int rowsPerPart(GgmlType type, int columns, int partBytes) {
    if (type.blockSize() == 1 || columns < 1 || columns % type.blockSize() != 0) {
      return Integer.MAX_VALUE;
    }
    // The largest array a row adds to: Q8_0's quant bytes, the others' 4-bit nibbles.
    return WeightTensor.rowsPerPart(type == GgmlType.Q8_0 ? columns : columns / 2, partBytes);
  }

  /**
   * Starts a tensor of {@code count} values of {@code type}.
   *
   * @throws IllegalArgumentException if the type is not kept or the count is not whole blocks
   */
  public KeptBlocks(GgmlType type, int count) {
    if (!keeps(type)) {
      throw new IllegalArgumentException(type + " is not kept as it is");
    }
    if (count < 0 || count % type.blockSize() != 0) {
      throw new IllegalArgumentException(count + " values are not whole blocks of " + type);
    }
    int blocks = count / type.blockSize();
    this.type = type;
    this.halves = type.blockSize() == 1 ? new short[count] : new short[0];
    boolean blocks32 = type == GgmlType.Q8_0 || type == GgmlType.Q4_0;
    this.halfScales = blocks32 ? new short[blocks] : new short[0];
    this.scales = type.blockSize() == 256 ? new float[blocks] : new float[0];
    this.mins = type == GgmlType.Q4_K ? new float[blocks] : new float[0];
    this.small =
        new byte[type == GgmlType.Q8_0 ? count : type.blockSize() == 256 ? 16 * blocks : 0];
    boolean fourBit = type == GgmlType.Q4_0 || type.blockSize() == 256;
    this.nibbles = fourBit ? new int[count / 8] : new int[0];
    this.highBits = type == GgmlType.Q6_K ? new short[count / 8] : new short[0];
  }

  /**
   * Reads blocks {@code [block, block + blocks)} of the tensor from {@code source}, where they
   * start at byte 0.
   */
  public void read(ByteBuffer source, int block, int blocks) {
    int bytes = type.blockBytes();
    for (int b = 0; b < blocks && type.blockSize() > 1; b++) {
      int at = b * bytes;
      switch (type) {
        case Q8_0 -> {
          halfScales[block + b] = source.getShort(at);
          source.get(at + 2, small, (block + b) * 32, 32);
        }
        case Q4_0 -> q4(source, at, block + b);
        case Q4_K -> q4K(source, at, block + b);
        case Q6_K -> q6K(source, at, block + b);
        default -> throw new IllegalStateException(type.toString());
      }
    }
    if (type.blockSize() == 1) {
      source.asShortBuffer().get(halves, block, blocks);
    }
  }

  /** The tensor read so far (its arrays, not a copy). */
  public WeightTensor tensor() {
    return switch (type) {
      case F16, BF16 -> new WeightTensor.Halves(halves, type == GgmlType.BF16);
      case Q8_0 -> new WeightTensor.Q8_0(halfScales, small);
      case Q4_0 -> new WeightTensor.Q4_0(halfScales, nibbles);
      case Q4_K -> new WeightTensor.Q4_K(scales, mins, small, nibbles);
      case Q6_K -> new WeightTensor.Q6_K(scales, small, nibbles, highBits);
      default -> throw new IllegalStateException(type.toString());
    };
  }

  /** Q4_0: f16 d, then 16 bytes holding value j low and value j + 16 high. */
  private void q4(ByteBuffer source, int at, int block) {
    halfScales[block] = source.getShort(at);
    for (int j = 0; j < 16; j++) {
      int packed = source.get(at + 2 + j) & 0xff;
      values[j] = packed & 0x0f;
      values[j + 16] = packed >>> 4;
    }
    packNibbles(32, 4 * block);
  }

  /**
   * Q4_K (see {@link GgmlSuperBlocks#dequantizeQ4_K}): d, dmin, the 6-bit scales and mins, and 4
   * groups of 32 bytes holding sub-block 2g in the low nibbles and 2g + 1 in the high nibbles.
   */
  private void q4K(ByteBuffer source, int at, int block) {
    scales[block] = HalfFloats.toFloat(source.getShort(at));
    mins[block] = HalfFloats.toFloat(source.getShort(at + 2));
    for (int sub = 0; sub < 8; sub++) {
      small[16 * block + 2 * sub] = (byte) GgmlSuperBlocks.scaleOrMin(source, at + 4, sub, false);
      small[16 * block + 2 * sub + 1] =
          (byte) GgmlSuperBlocks.scaleOrMin(source, at + 4, sub, true);
    }
    for (int group = 0; group < 4; group++) {
      for (int l = 0; l < 32; l++) {
        int packed = source.get(at + 16 + 32 * group + l) & 0xff;
        values[64 * group + l] = packed & 0x0f;
        values[64 * group + 32 + l] = packed >>> 4;
      }
    }
    packNibbles(256, 32 * block);
  }

  /**
   * Q6_K (see {@link GgmlSuperBlocks#dequantizeQ6_K}): value l of quarter k of half h has its low
   * bits in the low (k < 2) or high nibble of ql[64h + 32(k % 2) + l] and its high bits in bits 2k
   * and 2k + 1 of qh[32h + l]; then 16 scales and d.
   */
  private void q6K(ByteBuffer source, int at, int block) {
    scales[block] = HalfFloats.toFloat(source.getShort(at + 208));
    source.get(at + 192, small, 16 * block, 16);
    for (int half = 0; half < 2; half++) {
      for (int quarter = 0; quarter < 4; quarter++) {
        for (int l = 0; l < 32; l++) {
          int low = source.get(at + 64 * half + 32 * (quarter % 2) + l) & 0xff;
          int high = source.get(at + 128 + 32 * half + l) >>> (2 * quarter);
          values[128 * half + 32 * quarter + l] =
              (quarter < 2 ? low & 0x0f : low >>> 4) | ((high & 3) << 4);
        }
      }
    }
    packNibbles(256, 32 * block);
    for (int c = 0; c < 32; c++) {
      int bits = 0;
      for (int k = 0; k < 8; k++) {
        bits |= (values[8 * c + k] >>> 4) << (2 * k);
      }
      highBits[32 * block + c] = (short) bits;
    }
  }

  /** The low nibbles of values[0, count) into ints from nibbles[at], 8 a int, first lowest. */
  private void packNibbles(int count, int at) {
    for (int c = 0; c < count / 8; c++) {
      int bits = 0;
      for (int k = 0; k < 8; k++) {
        bits |= (values[8 * c + k] & 0x0f) << (4 * k);
      }
      nibbles[at + c] = bits;
    }
  }
}
