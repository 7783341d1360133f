package dev.colloquy.model.local.internal.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes F32, F16 or BF16 tensors as a safetensors file, streaming (files over 2 GiB work); the
 * trainer saves checkpoints with it.
 */
public final class SafetensorsWriter {

  /** One tensor to write: {@code values} hold exactly the shape's element count. */
  public record Tensor(String name, long[] shape, float[] values) {}

  private final List<Tensor> tensors = new ArrayList<>();
  private final String dtype;

  /**
   * @param dtype F32, F16 or BF16
   */
  public SafetensorsWriter(String dtype) {
    if (!List.of("F32", "F16", "BF16").contains(dtype)) {
      throw new IllegalArgumentException("dtype must be F32, F16 or BF16: " + dtype);
    }
    this.dtype = dtype;
  }

  /** Adds a tensor. */
  public SafetensorsWriter add(String name, float[] values, long... shape) {
    tensors.add(new Tensor(name, shape, values));
    return this;
  }

  /** Writes the file. */
  public void write(Path file) {
    int elementBytes = dtype.equals("F32") ? 4 : 2;
    ObjectNode header = new ObjectMapper().createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Tensor tensor : tensors) {
      ObjectNode entry = header.putObject(tensor.name());
      entry.put("dtype", dtype);
      var shape = entry.putArray("shape");
      for (long dimension : tensor.shape()) {
        shape.add(dimension);
      }
      long bytes = (long) tensor.values().length * elementBytes;
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] headerBytes = padded(header.toString().getBytes(StandardCharsets.UTF_8));
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer length =
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).flip();
      writeFully(out, length);
      writeFully(out, ByteBuffer.wrap(headerBytes));
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (Tensor tensor : tensors) {
        for (float value : tensor.values()) {
          if (buffer.remaining() < 4) {
            writeFully(out, buffer.flip());
            buffer.clear();
          }
          switch (dtype) {
            case "F32" -> buffer.putFloat(value);
            case "BF16" -> buffer.putShort((short) (Float.floatToIntBits(value) >>> 16));
            default -> buffer.putShort(toHalf(value));
          }
        }
      }
      writeFully(out, buffer.flip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] padded(byte[] header) {
    // The format aligns data to 8 bytes by padding the header with spaces.
    int length = (header.length + 7) / 8 * 8;
    byte[] result = new byte[length];
    java.util.Arrays.fill(result, (byte) ' ');
    System.arraycopy(header, 0, result, 0, header.length);
    return result;
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  /**
   * Rounds a float to half precision (round-to-nearest-even; the fixture's values are small and
   * normal).
   */
  static short toHalf(float value) {
    int bits = Float.floatToIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = bits & 0x7fffff;
    if (exponent <= 0) {
      return (short) sign;
    }
    if (exponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    int half = sign | (exponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++;
    }
    return (short) half;
  }
}
