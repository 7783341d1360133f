package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes GGUF v3 files: metadata of every value type and tensors, quantized here (F32, F16, BF16,
 * Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, by ggml's reference round-to-nearest) or given as ready-made blocks
 * (any type; the K types have no quantizer here, as ggml's search for their scales is long).
 * Tensors are held in memory until {@link #write}: this is for test checkpoints and small
 * conversions, not for multi-GB models. Not thread-safe.
 */
public final class GgufWriter {

  private record Tensor(String name, GgmlType type, long[] dimensions, byte[] blocks) {}

  private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
  private final List<Tensor> tensors = new ArrayList<>();
  private int alignment = GgufFile.DEFAULT_ALIGNMENT;

  /**
   * Sets a metadata value ({@code general.alignment} also sets the alignment of tensor data).
   *
   * @throws IllegalArgumentException if the key was already set, or the alignment is not a power of
   *     two
   */
  public GgufWriter put(String key, GgufValue value) {
    Objects.requireNonNull(value, "value");
    if (metadata.containsKey(key)) {
      throw new IllegalArgumentException("metadata key '" + key + "' was already set");
    }
    if (key.equals("general.alignment")) {
      if (value.type() != GgufValueType.UINT32 || Long.bitCount((Long) value.value()) != 1) {
        throw new IllegalArgumentException("general.alignment must be a UINT32 power of two");
      }
      alignment = (int) (long) (Long) value.value();
    }
    metadata.put(key, value);
    return this;
  }

  /** Sets a STRING value. */
  public GgufWriter putString(String key, String value) {
    return put(key, GgufValue.string(value));
  }

  /** Sets a UINT32 value. */
  public GgufWriter putUint32(String key, long value) {
    return put(key, GgufValue.integer(GgufValueType.UINT32, value));
  }

  /** Sets a FLOAT32 value. */
  public GgufWriter putFloat32(String key, float value) {
    return put(key, new GgufValue(GgufValueType.FLOAT32, value));
  }

  /** Sets a BOOL value. */
  public GgufWriter putBool(String key, boolean value) {
    return put(key, new GgufValue(GgufValueType.BOOL, value));
  }

  /** Sets an array value. */
  public GgufWriter putArray(String key, GgufValue.Array value) {
    return put(key, GgufValue.array(value));
  }

  /**
   * Adds a tensor, quantizing the values.
   *
   * @param type F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0 or Q5_1
   * @param values the values in ggml order (rows of {@code dimensions[0]})
   * @param dimensions ggml's {@code ne}, innermost first: a matrix {@code [out, in]} is {@code in,
   *     out}
   * @throws IllegalArgumentException for another type, a count that does not match, rows that are
   *     not whole blocks, or a repeated name
   */
  public GgufWriter addTensor(String name, GgmlType type, float[] values, long... dimensions) {
    checkShape(name, type, values.length, dimensions);
    ByteBuffer blocks =
        ByteBuffer.allocate(values.length / type.blockSize() * type.blockBytes())
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int block = 0; block < values.length / type.blockSize(); block++) {
      int at = block * type.blockBytes();
      int from = block * type.blockSize();
      switch (type) {
        case F32 -> blocks.putFloat(at, values[from]);
        case F16 -> blocks.putShort(at, HalfFloats.fromFloat(values[from]));
        case BF16 -> blocks.putShort(at, Halves.floatToBfloat16(values[from]));
        case Q8_0 -> GgmlBlocks.quantizeQ8_0(values, from, blocks, at);
        case Q4_0 -> GgmlBlocks.quantizeQ4_0(values, from, blocks, at);
        case Q4_1 -> GgmlBlocks.quantizeQ4_1(values, from, blocks, at);
        case Q5_0 -> GgmlBlocks.quantizeQ5_0(values, from, blocks, at);
        case Q5_1 -> GgmlBlocks.quantizeQ5_1(values, from, blocks, at);
        default ->
            throw new IllegalArgumentException(
                "tensor '" + name + "': " + type + " has no quantizer here; use addBlocks");
      }
    }
    return addBlocks(name, type, blocks.array(), dimensions);
  }

  /**
   * Adds a tensor from its raw blocks.
   *
   * @param blocks the tensor's bytes, whole blocks of {@code type}
   * @param dimensions ggml's {@code ne}, innermost first
   * @throws IllegalArgumentException if the bytes do not match the dimensions, or for a repeated
   *     name
   */
  public GgufWriter addBlocks(String name, GgmlType type, byte[] blocks, long... dimensions) {
    long count = 1;
    for (long dimension : dimensions) {
      count = Math.multiplyExact(count, dimension);
    }
    checkShape(name, type, count, dimensions);
    if (count / type.blockSize() * type.blockBytes() != blocks.length) {
      throw new IllegalArgumentException(
          "tensor '" + name + "': " + blocks.length + " bytes do not hold " + count + " " + type);
    }
    if (tensors.stream().anyMatch(tensor -> tensor.name.equals(name))) {
      throw new IllegalArgumentException("tensor '" + name + "' was already added");
    }
    tensors.add(new Tensor(name, type, dimensions.clone(), blocks.clone()));
    return this;
  }

  private static void checkShape(String name, GgmlType type, long count, long[] dimensions) {
    long product = 1;
    for (long dimension : dimensions) {
      product = Math.multiplyExact(product, dimension);
    }
    if (dimensions.length < 1 || dimensions.length > GgufFile.MAX_DIMENSIONS || product != count) {
      throw new IllegalArgumentException(
          "tensor '" + name + "': " + count + " values do not fill 1 to 4 dimensions as given");
    }
    if (dimensions[0] % type.blockSize() != 0) {
      throw new IllegalArgumentException(
          "tensor '" + name + "': rows of " + dimensions[0] + " are not whole " + type + " blocks");
    }
  }

  /**
   * Writes the file.
   *
   * @throws ModelLoadException naming the file when it cannot be written
   */
  public void write(Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header());
      long written = 0;
      for (Tensor tensor : tensors) {
        out.write(tensor.blocks);
        written += tensor.blocks.length;
        long padding = padding(written);
        out.write(new byte[(int) padding]);
        written += padding;
      }
    } catch (IOException e) {
      throw new ModelLoadException("cannot write GGUF file " + file + ": " + e, e);
    }
  }

  private byte[] header() {
    Output out = new Output();
    out.u32(GgufFile.MAGIC);
    out.u32(GgufFile.VERSION);
    out.u64(tensors.size());
    out.u64(metadata.size());
    metadata.forEach(
        (key, value) -> {
          out.string(key);
          out.u32(value.type().id());
          out.value(value.type(), value.value());
        });
    long offset = 0;
    for (Tensor tensor : tensors) {
      out.string(tensor.name);
      out.u32(tensor.dimensions.length);
      for (long dimension : tensor.dimensions) {
        out.u64(dimension);
      }
      out.u32(tensor.type.id());
      out.u64(offset);
      offset += tensor.blocks.length + padding(tensor.blocks.length);
    }
    out.write(new byte[(int) padding(out.size())], 0, (int) padding(out.size()));
    return out.toByteArray();
  }

  private long padding(long position) {
    return (alignment - position % alignment) % alignment;
  }

  /** A little-endian byte sink for the header. */
  private static final class Output extends ByteArrayOutputStream {

    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    void u32(long value) {
      write(scratch.clear().putInt((int) value).array(), 0, 4);
    }

    void u64(long value) {
      write(scratch.clear().putLong(value).array(), 0, 8);
    }

    void string(String value) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      u64(bytes.length);
      write(bytes, 0, bytes.length);
    }

    void value(GgufValueType type, Object value) {
      switch (type) {
        case UINT8, INT8 -> write((int) (long) (Long) value);
        case BOOL -> write((Boolean) value ? 1 : 0);
        case UINT16, INT16 ->
            write(scratch.clear().putShort((short) (long) (Long) value).array(), 0, 2);
        case UINT32, INT32 -> u32((Long) value);
        case UINT64, INT64 -> u64((Long) value);
        case FLOAT32 -> u32(Float.floatToRawIntBits((Float) value));
        case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) value));
        case STRING -> string((String) value);
        case ARRAY -> {
          GgufValue.Array array = (GgufValue.Array) value;
          u32(array.elementType().id());
          u64(array.length());
          for (int i = 0; i < array.length(); i++) {
            value(array.elementType(), element(array, i));
          }
        }
      }
    }

    private static Object element(GgufValue.Array array, int index) {
      return switch (array.elementType()) {
        case FLOAT32 -> ((float[]) array.elements())[index];
        case FLOAT64 -> ((double[]) array.elements())[index];
        case BOOL -> ((boolean[]) array.elements())[index];
        case STRING -> ((String[]) array.elements())[index];
        case ARRAY -> ((GgufValue.Array[]) array.elements())[index];
        default -> ((long[]) array.elements())[index];
      };
    }
  }
}
