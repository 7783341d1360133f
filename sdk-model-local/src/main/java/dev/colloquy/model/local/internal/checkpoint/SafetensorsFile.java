package dev.colloquy.model.local.internal.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.model.local.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A safetensors file, validated when opened and read tensor by tensor.
 *
 * <p>Design note: the header is checked completely before any tensor data is touched (length cap,
 * JSON, known dtypes, shape × dtype size equal to the byte range, ranges contiguous from the start
 * of the data area to the end of the file, no duplicate names). Tensor data is then memory-mapped
 * one tensor at a time, so files over 2 GiB load; only a single tensor must fit in a Java array
 * (2^31 - 1 elements). F16 and BF16 are widened to F32 in Java because DJL 0.36 aborts the JVM on
 * BF16 arrays. Not thread-safe; open one per loading thread.
 */
public final class SafetensorsFile implements AutoCloseable {

  /** The largest header accepted, as in the reference implementation (100 MB). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** The most bytes one positional read moves. */
  private static final int CHUNK_BYTES = 1 << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorEntry> tensors;
  private final Map<String, String> metadata;
  private ByteBuffer chunk; // reused by every read; allocated on the first

  private SafetensorsFile(
      Path file,
      FileChannel channel,
      long dataStart,
      Map<String, TensorEntry> tensors,
      Map<String, String> metadata) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /**
   * Opens and validates a safetensors file.
   *
   * @throws ModelLoadException naming the file (and tensor) when anything is malformed
   */
  public static SafetensorsFile open(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new ModelLoadException("cannot open safetensors file " + file + ": " + e, e);
    }
    try {
      return validate(file, channel);
    } catch (RuntimeException e) {
      closeQuietly(channel, e);
      throw e;
    }
  }

  private static SafetensorsFile validate(Path file, FileChannel channel) {
    long fileSize = size(file, channel);
    if (fileSize < 8) {
      throw fail(file, "is " + fileSize + " bytes long, too short for the 8-byte header length");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, channel, lengthBytes, 0);
    long headerLength = lengthBytes.flip().getLong();
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
      throw fail(
          file,
          "declares a header of "
              + Long.toUnsignedString(headerLength)
              + " bytes; a valid header is 2 to "
              + MAX_HEADER_BYTES
              + " bytes (is this a safetensors file?)");
    }
    if (8 + headerLength > fileSize) {
      throw fail(
          file,
          "declares a header of "
              + headerLength
              + " bytes but the file has only "
              + (fileSize - 8)
              + " bytes after the length: the file is truncated");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    readFully(file, channel, headerBytes, 8);
    JsonNode header;
    try {
      header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw fail(file, "has a header that is not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (header == null || !header.isObject()) {
      throw fail(file, "has a header that is not a JSON object");
    }
    long dataStart = 8 + headerLength;
    long dataLength = fileSize - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorEntry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("__metadata__")) {
        field.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      entries.add(entry(file, field.getKey(), field.getValue()));
    }
    entries.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
    long expectedBegin = 0;
    for (TensorEntry entry : entries) {
      if (entry.begin() != expectedBegin) {
        throw fail(
            file,
            "tensor '"
                + entry.name()
                + "' starts at data byte "
                + entry.begin()
                + " but the previous tensor ends at "
                + expectedBegin
                + ": tensor ranges must be contiguous and must not overlap");
      }
      expectedBegin = entry.end();
    }
    if (expectedBegin != dataLength) {
      throw fail(
          file,
          "has "
              + dataLength
              + " data bytes after the header but its tensors cover "
              + expectedBegin
              + (expectedBegin > dataLength ? ": the file is truncated" : ": trailing bytes"));
    }
    Map<String, TensorEntry> byName = new LinkedHashMap<>();
    for (TensorEntry entry : entries) {
      byName.put(entry.name(), entry);
    }
    return new SafetensorsFile(
        file,
        channel,
        dataStart,
        Collections.unmodifiableMap(byName),
        Collections.unmodifiableMap(metadata));
  }

  private static TensorEntry entry(Path file, String name, JsonNode node) {
    String where = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw fail(file, where + " is described by " + node.getNodeType() + ", expected an object");
    }
    String dtypeName = node.path("dtype").asText("");
    TensorType type =
        TensorType.named(dtypeName)
            .orElseThrow(
                () ->
                    fail(
                        file,
                        where
                            + " has unknown dtype '"
                            + dtypeName
                            + "'; known: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL"));
    JsonNode shapeNode = node.path("shape");
    if (!shapeNode.isArray()) {
      throw fail(file, where + " has no 'shape' array");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode dimension = shapeNode.get(i);
      if (!dimension.canConvertToLong()
          || !dimension.isIntegralNumber()
          || dimension.asLong() < 0) {
        throw fail(file, where + " has an invalid dimension " + dimension + " in its shape");
      }
      shape[i] = dimension.asLong();
    }
    JsonNode offsets = node.path("data_offsets");
    if (!offsets.isArray()
        || offsets.size() != 2
        || !offsets.get(0).isIntegralNumber()
        || !offsets.get(1).isIntegralNumber()) {
      throw fail(file, where + " needs 'data_offsets' as [begin, end], found " + offsets);
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    if (begin < 0 || end < begin) {
      throw fail(file, where + " has invalid data_offsets [" + begin + ", " + end + "]");
    }
    TensorEntry entry = new TensorEntry(name, type, shape, begin, end);
    long expectedBytes;
    try {
      expectedBytes = Math.multiplyExact(entry.elementCount(), type.bytes());
    } catch (ArithmeticException e) {
      throw fail(file, where + " has a shape " + entry.shapeText() + " too large to address");
    }
    if (expectedBytes != end - begin) {
      throw fail(
          file,
          where
              + " has shape "
              + entry.shapeText()
              + " of "
              + type
              + " ("
              + expectedBytes
              + " bytes) but its data_offsets span "
              + (end - begin)
              + " bytes");
    }
    return entry;
  }

  /** Returns the file this was read from. */
  public Path file() {
    return file;
  }

  /** Returns the tensors by name, in file order. */
  public Map<String, TensorEntry> tensors() {
    return tensors;
  }

  /** Returns the header's {@code __metadata__} strings. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Returns the named tensor's entry, if the file has it. */
  public Optional<TensorEntry> tensor(String name) {
    return Optional.ofNullable(tensors.get(name));
  }

  /**
   * Reads a tensor as F32, widening F16 and BF16.
   *
   * @throws ModelLoadException if the type is not a float type, the tensor is too large for one
   *     array, or reading fails
   */
  public float[] readFloats(TensorEntry entry) {
    float[] values = new float[arrayLength(entry)];
    readFloats(entry, 0, values, 0, values.length);
    return values;
  }

  /**
   * Reads values {@code [from, from + count)} of a tensor (row-major) into {@code into[at, at +
   * count)}, widening F16 and BF16.
   *
   * @throws ModelLoadException if the type is not a float type or reading fails
   * @throws IndexOutOfBoundsException if the range is not inside the tensor
   */
  public void readFloats(TensorEntry entry, long from, float[] into, int at, int count) {
    checkLoadable(entry);
    int size = entry.type().bytes();
    long done = 0;
    while (done < count) {
      ByteBuffer chunk = read(entry, from + done, count - done);
      int n = chunk.remaining() / size;
      int to = at + (int) done;
      switch (entry.type()) {
        case F32 -> chunk.asFloatBuffer().get(into, to, n);
        case BF16 -> {
          for (int i = 0; i < n; i++) {
            into[to + i] = Float.intBitsToFloat((chunk.getShort(2 * i) & 0xffff) << 16);
          }
        }
        case F16 -> {
          for (int i = 0; i < n; i++) {
            into[to + i] = HalfFloats.toFloat(chunk.getShort(2 * i));
          }
        }
        default -> throw new IllegalStateException(entry.type().name());
      }
      done += n;
    }
  }

  /**
   * Reads an F16 or BF16 tensor's raw 16-bit values, row-major, without widening them.
   *
   * @throws ModelLoadException if the type is not F16 or BF16, the tensor is too large for one
   *     array, or reading fails
   */
  public short[] readHalves(TensorEntry entry) {
    return readHalves(entry, 0, arrayLength(entry));
  }

  /**
   * Reads values {@code [from, from + count)} of an F16 or BF16 tensor (row-major) as their raw
   * 16-bit values.
   *
   * @throws ModelLoadException if the type is not F16 or BF16, or reading fails
   * @throws IndexOutOfBoundsException if the range is not inside the tensor
   */
  public short[] readHalves(TensorEntry entry, long from, int count) {
    if (entry.type() != TensorType.F16 && entry.type() != TensorType.BF16) {
      throw fail(
          file, "tensor '" + entry.name() + "' has dtype " + entry.type() + ", not F16 or BF16");
    }
    if (count < 0 || from < 0 || from + count > entry.elementCount()) {
      throw new IndexOutOfBoundsException(
          "values [" + from + ", " + (from + count) + ") of tensor '" + entry.name() + "'");
    }
    short[] values = new short[count];
    readHalves(entry, from, values);
    return values;
  }

  /**
   * Reads values {@code [from, from + into.length)} of an F16 or BF16 tensor into {@code into}, so
   * that a reader going through a tensor a block at a time reuses one array.
   *
   * @throws ModelLoadException if the type is not F16 or BF16, or reading fails
   * @throws IndexOutOfBoundsException if the range is not inside the tensor
   */
  public void readHalves(TensorEntry entry, long from, short[] into) {
    if (entry.type() != TensorType.F16 && entry.type() != TensorType.BF16) {
      throw fail(
          file, "tensor '" + entry.name() + "' has dtype " + entry.type() + ", not F16 or BF16");
    }
    int done = 0;
    while (done < into.length) {
      ByteBuffer chunk = read(entry, from + done, into.length - done);
      int n = chunk.remaining() / 2;
      chunk.asShortBuffer().get(into, done, n);
      done += n;
    }
  }

  /**
   * Reads up to {@code count} values of a tensor from value {@code from} on into the chunk buffer
   * (as many as it holds) and returns it, little-endian, from position 0. Positional reads rather
   * than a memory map: no page of the file stays mapped into the process once the load is done.
   */
  private ByteBuffer read(TensorEntry entry, long from, long count) {
    int size = entry.type().bytes();
    if (from < 0 || count < 0 || from + count > entry.elementCount()) {
      throw new IndexOutOfBoundsException(
          "values ["
              + from
              + ", "
              + (from + count)
              + ") of tensor '"
              + entry.name()
              + "' of "
              + entry.elementCount());
    }
    if (chunk == null) {
      chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }
    chunk.clear().limit((int) Math.min(CHUNK_BYTES / size, count) * size);
    long position = dataStart + entry.begin() + from * size;
    try {
      while (chunk.hasRemaining()) {
        int read = channel.read(chunk, position + chunk.position());
        if (read < 0) {
          throw fail(file, "ended while reading tensor '" + entry.name() + "'");
        }
      }
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read tensor '" + entry.name() + "' of " + file + ": " + e, e);
    }
    return chunk.flip();
  }

  private void checkLoadable(TensorEntry entry) {
    if (!entry.type().loadable()) {
      throw fail(
          file,
          "tensor '"
              + entry.name()
              + "' has dtype "
              + entry.type()
              + "; weights must be F32, F16 or BF16");
    }
  }

  private int arrayLength(TensorEntry entry) {
    checkLoadable(entry);
    long count = entry.elementCount();
    if (count > Integer.MAX_VALUE - 8) {
      throw fail(
          file,
          "tensor '"
              + entry.name()
              + "' has "
              + count
              + " elements, more than one Java array holds");
    }
    return (int) count;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new ModelLoadException("cannot close " + file + ": " + e, e);
    }
  }

  private static long size(Path file, FileChannel channel) {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read the size of " + file + ": " + e, e);
    }
  }

  private static void readFully(Path file, FileChannel channel, ByteBuffer into, long position) {
    try {
      long at = position;
      while (into.hasRemaining()) {
        int read = channel.read(into, at);
        if (read < 0) {
          throw fail(file, "ended while reading its header");
        }
        at += read;
      }
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e, e);
    }
  }

  private static void closeQuietly(FileChannel channel, RuntimeException failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static ModelLoadException fail(Path file, String problem) {
    return new ModelLoadException("safetensors file " + file + " " + problem);
  }
}
