package dev.colloquy.model.local.internal.checkpoint;

import java.util.Arrays;

/**
 * One tensor named in a safetensors header.
 *
 * @param name the tensor's name
 * @param type its element type
 * @param shape its dimensions, outermost first
 * @param begin the first byte of its data, relative to the end of the header
 * @param end one past its last byte, relative to the end of the header
 */
public record TensorEntry(String name, TensorType type, long[] shape, long begin, long end) {

  /** Copies the shape. */
  public TensorEntry {
    shape = shape.clone();
  }

  /** Returns a copy of the shape. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Returns the number of elements. */
  public long elementCount() {
    long count = 1;
    for (long dimension : shape) {
      count = Math.multiplyExact(count, dimension);
    }
    return count;
  }

  /** Returns the shape as {@code [a, b]} for messages. */
  public String shapeText() {
    return Arrays.toString(shape);
  }
}
