package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Builds a tensor in the layout the runtime computes on ({@link WeightTensor}) from ggml's blocks,
 * a run of blocks at a time, so a reader maps a chunk of the file at a time and never holds the
 * tensor as floats. F16/BF16 are kept as their bits, Q8_0/Q4_0 as float scales and quant bytes,
 * Q4_K/Q6_K regrouped per 32 values (see {@link GgmlSuperBlocks#keepQ4_K} and {@link
 * GgmlSuperBlocks#keepQ6_K}). Not thread-safe; the tensor it builds is.
 */
public final class KeptBlocks {

  private static final Set<GgmlType> KEPT =
      Set.of(
          GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K);

  private final GgmlType type;
  private final short[] halves;
  private final float[] scales; // Q8_0/Q4_0: per block; Q4_K/Q6_K: d per super-block
  private final float[] mins; // Q4_K: dmin per super-block
  private final byte[] small; // Q4_K: scales and mins; Q6_K: scales
  private final byte[] quants; // Q8_0 quants, or the nibbles of the other block types
  private final byte[] highBits; // Q6_K

  /** Whether {@code type} is kept as it is (else it is widened to F32 at load). */
  public static boolean keeps(GgmlType type) {
    return KEPT.contains(type);
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
    boolean superBlocks = type == GgmlType.Q4_K || type == GgmlType.Q6_K;
    this.type = type;
    this.halves = type.blockSize() == 1 ? new short[count] : new short[0];
    this.scales = type.blockSize() == 1 ? new float[0] : new float[blocks];
    this.mins = type == GgmlType.Q4_K ? new float[blocks] : new float[0];
    this.small = superBlocks ? new byte[16 * blocks] : new byte[0];
    this.quants = new byte[type == GgmlType.Q8_0 ? count : type.blockSize() == 1 ? 0 : count / 2];
    this.highBits = type == GgmlType.Q6_K ? new byte[count / 4] : new byte[0];
  }

  /**
   * Reads blocks {@code [block, block + blocks)} of the tensor from {@code source}, where they
   * start at byte 0.
   */
  public void read(ByteBuffer source, int block, int blocks) {
    int bytes = type.blockBytes();
    switch (type) {
      case F16, BF16 -> source.asShortBuffer().get(halves, block, blocks);
      case Q8_0, Q4_0 -> {
        int quantBytes = bytes - 2;
        for (int b = 0; b < blocks; b++) {
          scales[block + b] = Halves.halfToFloat(source.getShort(b * bytes));
          source.get(b * bytes + 2, quants, (block + b) * quantBytes, quantBytes);
        }
      }
      case Q4_K -> {
        for (int b = 0; b < blocks; b++) {
          GgmlSuperBlocks.keepQ4_K(source, b * bytes, block + b, scales, mins, small, quants);
        }
      }
      case Q6_K -> {
        for (int b = 0; b < blocks; b++) {
          GgmlSuperBlocks.keepQ6_K(source, b * bytes, block + b, scales, small, quants, highBits);
        }
      }
      default -> throw new IllegalStateException(type.toString());
    }
  }

  /** The tensor read so far (its arrays, not a copy). */
  public WeightTensor tensor() {
    return switch (type) {
      case F16, BF16 -> new WeightTensor.Halves(halves, type == GgmlType.BF16);
      case Q8_0 -> new WeightTensor.Q8_0(scales, quants);
      case Q4_0 -> new WeightTensor.Q4_0(scales, quants);
      case Q4_K -> new WeightTensor.Q4_K(scales, mins, small, quants);
      case Q6_K -> new WeightTensor.Q6_K(scales, small, quants, highBits);
      default -> throw new IllegalStateException(type.toString());
    };
  }
}
