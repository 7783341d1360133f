package dev.colloquy.model.local.internal.gguf;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A tensor as a GGUF file describes it. Dimensions are in ggml's order, innermost first ({@code
 * ne[0]} is the length of a row): a PyTorch matrix {@code [out, in]} is stored as {@code [in,
 * out]}.
 *
 * @param name the tensor's name ({@code blk.0.attn_q.weight})
 * @param type its ggml type
 * @param dimensions ggml's {@code ne}, innermost first, each at least 0
 * @param offset the first byte, relative to the file's data section
 * @param byteSize how many bytes its blocks take
 */
public record GgufTensorInfo(
    String name, GgmlType type, long[] dimensions, long offset, long byteSize) {

  public GgufTensorInfo {
    dimensions = dimensions.clone();
  }

  @Override
  public long[] dimensions() {
    return dimensions.clone();
  }

  /** Returns the number of values (the product of the dimensions). */
  public long elementCount() {
    return LongStream.of(dimensions).reduce(1, Math::multiplyExact);
  }

  /** Returns the shape in row-major (PyTorch) order, outermost first. */
  public long[] shape() {
    long[] shape = new long[dimensions.length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dimensions[dimensions.length - 1 - i];
    }
    return shape;
  }

  /** Returns the row-major shape as {@code [4096, 4096]}, for messages. */
  public String shapeText() {
    return LongStream.of(shape())
        .mapToObj(Long::toString)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GgufTensorInfo info
        && name.equals(info.name)
        && type == info.type
        && Arrays.equals(dimensions, info.dimensions)
        && offset == info.offset
        && byteSize == info.byteSize;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(dimensions);
  }

  @Override
  public String toString() {
    return name + " " + type + " " + shapeText() + " at " + offset;
  }
}
