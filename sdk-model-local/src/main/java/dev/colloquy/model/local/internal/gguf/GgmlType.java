package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ggml tensor types this loader reads, with ggml's numeric ids and block geometry. A tensor of
 * a block type is a sequence of blocks along its first (innermost) dimension, each {@link
 * #blockBytes()} bytes holding {@link #blockSize()} values; the plain types are blocks of one.
 */
public enum GgmlType {
  F32(0, 1, 4),
  F16(1, 1, 2),
  Q4_0(2, 32, 18),
  Q4_1(3, 32, 20),
  Q5_0(6, 32, 22),
  Q5_1(7, 32, 24),
  Q8_0(8, 32, 34),
  Q2_K(10, 256, 84),
  Q3_K(11, 256, 110),
  Q4_K(12, 256, 144),
  Q5_K(13, 256, 176),
  Q6_K(14, 256, 210),
  BF16(30, 1, 2);

  // ggml's names for the ids it defines, so an unsupported type is named in the error.
  private static final String[] GGML_NAMES = {
    "F32",
    "F16",
    "Q4_0",
    "Q4_1",
    "Q4_2",
    "Q4_3",
    "Q5_0",
    "Q5_1",
    "Q8_0",
    "Q8_1",
    "Q2_K",
    "Q3_K",
    "Q4_K",
    "Q5_K",
    "Q6_K",
    "Q8_K",
    "IQ2_XXS",
    "IQ2_XS",
    "IQ3_XXS",
    "IQ1_S",
    "IQ4_NL",
    "IQ3_S",
    "IQ2_S",
    "IQ4_XS",
    "I8",
    "I16",
    "I32",
    "I64",
    "F64",
    "IQ1_M",
    "BF16",
    "Q4_0_4_4",
    "Q4_0_4_8",
    "Q4_0_8_8",
    "TQ1_0",
    "TQ2_0",
    "IQ4_NL_4_4",
    "IQ4_NL_4_8",
    "IQ4_NL_8_8",
    "MXFP4"
  };

  private final int id;
  private final int blockSize;
  private final int blockBytes;

  GgmlType(int id, int blockSize, int blockBytes) {
    this.id = id;
    this.blockSize = blockSize;
    this.blockBytes = blockBytes;
  }

  /** Returns ggml's numeric id of this type, as a GGUF tensor info stores it. */
  public int id() {
    return id;
  }

  /** Returns how many values one block holds. */
  public int blockSize() {
    return blockSize;
  }

  /** Returns how many bytes one block takes. */
  public int blockBytes() {
    return blockBytes;
  }

  /**
   * Dequantizes one block.
   *
   * @param source little-endian bytes holding the block at {@code sourceAt}
   * @param sourceAt the block's first byte
   * @param target receives {@link #blockSize()} values from {@code targetAt}
   * @param targetAt where the first value goes
   */
  public void dequantizeBlock(ByteBuffer source, int sourceAt, float[] target, int targetAt) {
    switch (this) {
      case F32 -> target[targetAt] = source.getFloat(sourceAt);
      case F16 -> target[targetAt] = HalfFloats.toFloat(source.getShort(sourceAt));
      case BF16 -> target[targetAt] = Halves.bfloat16ToFloat(source.getShort(sourceAt));
      case Q4_0 -> GgmlBlocks.dequantizeQ4_0(source, sourceAt, target, targetAt);
      case Q4_1 -> GgmlBlocks.dequantizeQ4_1(source, sourceAt, target, targetAt);
      case Q5_0 -> GgmlBlocks.dequantizeQ5_0(source, sourceAt, target, targetAt);
      case Q5_1 -> GgmlBlocks.dequantizeQ5_1(source, sourceAt, target, targetAt);
      case Q8_0 -> GgmlBlocks.dequantizeQ8_0(source, sourceAt, target, targetAt);
      case Q2_K -> GgmlSuperBlocks.dequantizeQ2_K(source, sourceAt, target, targetAt);
      case Q3_K -> GgmlSuperBlocks.dequantizeQ3_K(source, sourceAt, target, targetAt);
      case Q4_K -> GgmlSuperBlocks.dequantizeQ4_K(source, sourceAt, target, targetAt);
      case Q5_K -> GgmlSuperBlocks.dequantizeQ5_K(source, sourceAt, target, targetAt);
      case Q6_K -> GgmlSuperBlocks.dequantizeQ6_K(source, sourceAt, target, targetAt);
    }
  }

  /**
   * Dequantizes consecutive blocks.
   *
   * @param source little-endian bytes holding {@code blocks} blocks from {@code sourceAt}
   * @param target receives {@code blocks * blockSize()} values from {@code targetAt}
   */
  public void dequantize(
      ByteBuffer source, int sourceAt, float[] target, int targetAt, int blocks) {
    for (int block = 0; block < blocks; block++) {
      dequantizeBlock(source, sourceAt + block * blockBytes, target, targetAt + block * blockSize);
    }
  }

  /** Returns the type ggml numbers {@code id}, if this loader reads it. */
  public static Optional<GgmlType> byId(long id) {
    for (GgmlType type : values()) {
      if (type.id == id) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** Returns ggml's name of a type id ("Q5_K (ggml type 13)"), or the bare id if it is unknown. */
  static String describeId(long id) {
    String name = id >= 0 && id < GGML_NAMES.length ? GGML_NAMES[(int) id] : null;
    return name == null
        ? "unknown ggml type " + Long.toUnsignedString(id)
        : name + " (ggml type " + id + ")";
  }

  /** Returns the names of the types this loader reads, for messages. */
  static String supported() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
