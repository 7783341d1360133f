package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF v3 file (llama.cpp's model format), validated when opened, its tensors read one at a time.
 *
 * <p>Design note: the header (magic, version, metadata, tensor infos) is read sequentially and
 * checked completely before any tensor data is touched: every declared length and count is capped
 * and must fit in the bytes the file still has before it is allocated; tensor types must be ones
 * {@link GgmlType} reads; dimensions must not overflow and rows must be whole blocks; offsets must
 * be aligned to {@code general.alignment} (32 when absent), inside the file, and tensors must not
 * overlap. Tensor data is memory-mapped only when a tensor is asked for, so files of many GB open
 * without reading them. Immutable after {@link #open}; reading tensors from several threads is
 * safe.
 */
public final class GgufFile implements AutoCloseable {

  /** "GGUF" read as a little-endian uint32. */
  static final int MAGIC = 0x46554747;

  /** The only version read. */
  static final int VERSION = 3;

  /** The alignment of tensor data when {@code general.alignment} is absent. */
  public static final int DEFAULT_ALIGNMENT = 32;

  /** The most bytes the header (metadata and tensor infos) may take: 512 MiB. */
  static final long MAX_HEADER_BYTES = 512L << 20;

  /** The longest key or tensor name: 64 KiB (the specification allows 65535 bytes). */
  static final int MAX_NAME_BYTES = 65_535;

  /** The longest string value: 16 MiB (chat templates are kilobytes). */
  static final int MAX_STRING_BYTES = 16 << 20;

  /** The most elements in one array: 16 Mi (vocabularies are a few hundred thousand). */
  static final int MAX_ARRAY_LENGTH = 1 << 24;

  /** The deepest nesting of arrays in arrays. */
  static final int MAX_ARRAY_DEPTH = 8;

  /** The most metadata keys or tensors: 1 Mi each. */
  static final int MAX_COUNT = 1 << 20;

  /** ggml's GGML_MAX_DIMS. */
  static final int MAX_DIMENSIONS = 4;

  /** The largest piece of a tensor mapped at once: whole blocks up to 1 GiB. */
  private static final long MAP_CHUNK_BYTES = 1L << 30;

  private final Path file;
  private final FileChannel channel;
  private final int version;
  private final GgufMetadata metadata;
  private final Map<String, GgufTensorInfo> tensors;
  private final int alignment;
  private final long dataStart;

  private GgufFile(
      Path file,
      FileChannel channel,
      int version,
      GgufMetadata metadata,
      Map<String, GgufTensorInfo> tensors,
      int alignment,
      long dataStart) {
    this.file = file;
    this.channel = channel;
    this.version = version;
    this.metadata = metadata;
    this.tensors = tensors;
    this.alignment = alignment;
    this.dataStart = dataStart;
  }

  /**
   * Opens and validates a GGUF file.
   *
   * @param file the {@code .gguf} file
   * @return the open file; close it to release the channel
   * @throws ModelLoadException naming the file (and the key or tensor) when anything is malformed
   */
  public static GgufFile open(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new ModelLoadException("cannot open GGUF file " + file + ": " + e, e);
    }
    try {
      return read(file, channel);
    } catch (RuntimeException e) {
      try {
        channel.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static GgufFile read(Path file, FileChannel channel) {
    long fileSize;
    try {
      fileSize = channel.size();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read the size of GGUF file " + file + ": " + e, e);
    }
    GgufHeaderReader in = new GgufHeaderReader(file, channel, fileSize, MAX_HEADER_BYTES);
    int magic = in.u32("the magic number");
    if (magic != MAGIC) {
      throw in.fail(
          String.format(
              "starts with 0x%08x, not the GGUF magic number \"GGUF\": is it a GGUF file?",
              Integer.reverseBytes(magic)));
    }
    int version = in.u32("the version");
    if (version != VERSION) {
      throw in.fail(
          (Integer.reverseBytes(version) == VERSION
                  ? "is a big-endian GGUF file"
                  : "is GGUF version " + Integer.toUnsignedString(version))
              + "; this loader reads little-endian version 3 only: convert the model again with"
              + " a recent llama.cpp (convert_hf_to_gguf.py)");
    }
    long tensorCount = count(in, "the tensor count", 24);
    long keyCount = count(in, "the metadata key count", 13);
    Map<String, GgufValue> values = new LinkedHashMap<>();
    for (long i = 0; i < keyCount; i++) {
      String key = in.string(MAX_NAME_BYTES, "metadata key " + i);
      String where = "metadata key '" + key + "'";
      if (values.containsKey(key)) {
        throw in.fail(where + " appears twice");
      }
      GgufValueType type = valueType(in, in.u32("the type of " + where), where);
      values.put(key, GgufValues.read(in, type, where, 0));
    }
    GgufMetadata metadata = new GgufMetadata(file, values);
    int alignment = alignment(in, metadata);
    List<GgufTensorInfo> infos = new ArrayList<>();
    Map<String, GgufTensorInfo> byName = new LinkedHashMap<>();
    for (long i = 0; i < tensorCount; i++) {
      GgufTensorInfo info = tensorInfo(in, i, alignment);
      if (byName.putIfAbsent(info.name(), info) != null) {
        throw in.fail("tensor '" + info.name() + "' appears twice");
      }
      infos.add(info);
    }
    long dataStart = alignUp(in.position(), alignment);
    long dataBytes = Math.max(0, fileSize - dataStart);
    infos.sort(Comparator.comparingLong(GgufTensorInfo::offset));
    GgufTensorInfo previous = null;
    for (GgufTensorInfo info : infos) {
      long end = info.offset() + info.byteSize();
      if (end < 0 || end > dataBytes) {
        throw in.fail(
            "tensor '"
                + info.name()
                + "' takes data bytes "
                + info.offset()
                + " to "
                + (end < 0 ? "beyond 2^63" : end)
                + " but the data section has "
                + dataBytes
                + " bytes (from byte "
                + dataStart
                + "): the file is truncated or the offset is wrong");
      }
      if (previous != null && info.offset() < previous.offset() + previous.byteSize()) {
        throw in.fail(
            "tensor '"
                + info.name()
                + "' starts at data byte "
                + info.offset()
                + ", inside tensor '"
                + previous.name()
                + "' (data bytes "
                + previous.offset()
                + " to "
                + (previous.offset() + previous.byteSize())
                + "): tensors must not overlap");
      }
      previous = info;
    }
    return new GgufFile(
        file,
        channel,
        version,
        metadata,
        Collections.unmodifiableMap(byName),
        alignment,
        dataStart);
  }

  private static long count(GgufHeaderReader in, String what, int minimumBytesEach) {
    long count = in.u64(what);
    if (count < 0 || count > MAX_COUNT) {
      throw in.fail(
          what + " is " + Long.toUnsignedString(count) + ", more than the " + MAX_COUNT + " read");
    }
    in.checkAvailable(count * minimumBytesEach, what + " of " + count);
    return count;
  }

  static GgufValueType valueType(GgufHeaderReader in, int id, String where) {
    return GgufValueType.byId(Integer.toUnsignedLong(id))
        .orElseThrow(
            () ->
                in.fail(
                    where + " has unknown value type " + Integer.toUnsignedString(id) + " (0-12)"));
  }

  private static int alignment(GgufHeaderReader in, GgufMetadata metadata) {
    Optional<GgufValue> value = metadata.get("general.alignment");
    if (value.isEmpty()) {
      return DEFAULT_ALIGNMENT;
    }
    if (value.get().type() != GgufValueType.UINT32) {
      throw in.fail(
          "metadata key 'general.alignment' is of type " + value.get().type() + ", not UINT32");
    }
    long alignment = (Long) value.get().value();
    if (alignment == 0 || Long.bitCount(alignment) != 1 || alignment > (1 << 30)) {
      throw in.fail(
          "metadata key 'general.alignment' is "
              + alignment
              + "; it must be a power of two up to 2^30");
    }
    return (int) alignment;
  }

  private static GgufTensorInfo tensorInfo(GgufHeaderReader in, long index, int alignment) {
    String name = in.string(MAX_NAME_BYTES, "the name of tensor " + index);
    String where = "tensor '" + name + "'";
    int dimensionCount = in.u32("the dimension count of " + where);
    if (dimensionCount < 1 || dimensionCount > MAX_DIMENSIONS) {
      throw in.fail(
          where
              + " has "
              + Integer.toUnsignedString(dimensionCount)
              + " dimensions; ggml tensors have 1 to "
              + MAX_DIMENSIONS);
    }
    long[] dimensions = new long[dimensionCount];
    long elements = 1;
    for (int i = 0; i < dimensionCount; i++) {
      dimensions[i] = in.u64("dimension " + i + " of " + where);
      if (dimensions[i] < 0) {
        throw in.fail(
            where + " has dimension " + i + " of " + Long.toUnsignedString(dimensions[i]));
      }
      try {
        elements = Math.multiplyExact(elements, dimensions[i]);
      } catch (ArithmeticException e) {
        throw in.fail(where + " has dimensions whose product overflows 2^63");
      }
    }
    long typeId = Integer.toUnsignedLong(in.u32("the type of " + where));
    GgmlType type =
        GgmlType.byId(typeId)
            .orElseThrow(
                () ->
                    in.fail(
                        where
                            + " has type "
                            + GgmlType.describeId(typeId)
                            + ", which this loader does not read; it reads "
                            + GgmlType.supported()
                            + " (the IQ and ternary types are not read: use a Q*_K_M, Q8_0 or"
                            + " Q4_0 file)"));
    if (dimensions[0] % type.blockSize() != 0) {
      throw in.fail(
          where
              + " has rows of "
              + dimensions[0]
              + " values, not a whole number of "
              + type
              + " blocks of "
              + type.blockSize());
    }
    long offset = in.u64("the offset of " + where);
    if (offset < 0 || offset % alignment != 0) {
      throw in.fail(
          where
              + " starts at data byte "
              + Long.toUnsignedString(offset)
              + ", which is not a multiple of the alignment "
              + alignment);
    }
    long byteSize;
    try {
      byteSize = Math.multiplyExact(elements / type.blockSize(), type.blockBytes());
    } catch (ArithmeticException e) {
      throw in.fail(where + " is too large to address");
    }
    return new GgufTensorInfo(name, type, dimensions, offset, byteSize);
  }

  private static long alignUp(long position, int alignment) {
    return (position + alignment - 1) / alignment * alignment;
  }

  /** Returns the file this was read from. */
  public Path file() {
    return file;
  }

  /** Returns the format version (3). */
  public int version() {
    return version;
  }

  /** Returns the metadata. */
  public GgufMetadata metadata() {
    return metadata;
  }

  /** Returns the tensors by name, in the order the header lists them. */
  public Map<String, GgufTensorInfo> tensors() {
    return tensors;
  }

  /** Returns the named tensor's info, if the file has it. */
  public Optional<GgufTensorInfo> tensor(String name) {
    return Optional.ofNullable(tensors.get(name));
  }

  /** Returns the alignment of tensor data. */
  public int alignment() {
    return alignment;
  }

  /** Returns the file position where the data section starts. */
  public long dataStart() {
    return dataStart;
  }

  /**
   * Maps a tensor's raw blocks, read-only and little-endian.
   *
   * @throws ModelLoadException if it is larger than one buffer addresses (2 GiB) or mapping fails
   */
  public ByteBuffer mapBytes(GgufTensorInfo tensor) {
    if (tensor.byteSize() > Integer.MAX_VALUE) {
      throw new ModelLoadException(
          "GGUF file "
              + file
              + ": tensor '"
              + tensor.name()
              + "' takes "
              + tensor.byteSize()
              + " bytes, more than one buffer maps");
    }
    return map(tensor, dataStart + tensor.offset(), tensor.byteSize());
  }

  /**
   * Reads a tensor as floats, dequantizing its blocks; values in ggml order (row-major, rows of
   * {@code dimensions()[0]} values).
   *
   * @throws ModelLoadException if it has more values than a Java array holds or reading fails
   */
  public float[] readFloats(GgufTensorInfo tensor) {
    long count = tensor.elementCount();
    if (count > Integer.MAX_VALUE - 8) {
      throw new ModelLoadException(
          "GGUF file "
              + file
              + ": tensor '"
              + tensor.name()
              + "' has "
              + count
              + " values, more than one Java array holds");
    }
    float[] values = new float[(int) count];
    GgmlType type = tensor.type();
    long totalBlocks = count / type.blockSize();
    long blocksPerChunk = MAP_CHUNK_BYTES / type.blockBytes();
    for (long block = 0; block < totalBlocks; block += blocksPerChunk) {
      int blocks = (int) Math.min(blocksPerChunk, totalBlocks - block);
      ByteBuffer bytes =
          map(
              tensor,
              dataStart + tensor.offset() + block * type.blockBytes(),
              (long) blocks * type.blockBytes());
      type.dequantize(bytes, 0, values, (int) (block * type.blockSize()), blocks);
    }
    return values;
  }

  /**
   * Reads a tensor in the encoding the runtime computes on: F16, BF16, Q8_0, Q4_0, Q4_K and Q6_K
   * straight into their kept layout ({@link KeptBlocks}: a chunk of the file mapped at a time,
   * never a float array of the tensor), F32 and the other block types as floats.
   *
   * @throws ModelLoadException if it has more values than a Java array holds or reading fails
   */
  public WeightTensor readTensor(GgufTensorInfo tensor) {
    return readTensor(tensor, WeightTensor.PART_BYTES);
  }

  /**
   * {@link #readTensor(GgufTensorInfo)} with a block-type matrix kept in parts whose largest array
   * holds at most {@code partBytes} bytes ({@link WeightTensor.Rows}; tests use small parts).
   *
   * @throws ModelLoadException if it has more values than a Java array holds or reading fails
   */
  WeightTensor readTensor(GgufTensorInfo tensor, int partBytes) {
    GgmlType type = tensor.type();
    if (!KeptBlocks.keeps(type)) {
      return new WeightTensor.F32(readFloats(tensor));
    }
    long count = tensor.elementCount();
    if (count > Integer.MAX_VALUE - 8) {
      throw new ModelLoadException(
          "GGUF file "
              + file
              + ": tensor '"
              + tensor.name()
              + "' has "
              + count
              + " values, more than one Java array holds");
    }
    int blockBytes = type.blockBytes();
    int totalBlocks = (int) (count / type.blockSize());
    long[] shape = tensor.shape();
    int columns = (int) Math.max(1, Math.min(count, shape[shape.length - 1]));
    int rows = (int) (count / columns);
    // Matrices of block types go in parts of whole rows, so G1 wastes no region per matrix.
    int rowsPerPart = Math.max(1, Math.min(rows, KeptBlocks.rowsPerPart(type, columns, partBytes)));
    int blocksPerPart = (int) ((long) rowsPerPart * columns / type.blockSize());
    List<KeptBlocks> parts = new ArrayList<>();
    for (int first = 0; first < rows; first += rowsPerPart) {
      parts.add(new KeptBlocks(type, Math.min(rowsPerPart, rows - first) * columns));
    }
    int blocksPerChunk = (int) (MAP_CHUNK_BYTES / blockBytes);
    for (int block = 0; block < totalBlocks; block += blocksPerChunk) {
      int blocks = Math.min(blocksPerChunk, totalBlocks - block);
      ByteBuffer chunk =
          map(
              tensor,
              dataStart + tensor.offset() + (long) block * blockBytes,
              (long) blocks * blockBytes);
      for (int b = block; b < block + blocks; ) {
        int part = b / blocksPerPart;
        int run = Math.min(block + blocks, (part + 1) * blocksPerPart) - b;
        ByteBuffer slice =
            chunk.slice((b - block) * blockBytes, run * blockBytes).order(ByteOrder.LITTLE_ENDIAN);
        parts.get(part).read(slice, b - part * blocksPerPart, run);
        b += run;
      }
    }
    if (parts.size() <= 1) {
      return parts.isEmpty() ? new KeptBlocks(type, 0).tensor() : parts.get(0).tensor();
    }
    List<WeightTensor> tensors = new ArrayList<>();
    parts.forEach(part -> tensors.add(part.tensor()));
    return new WeightTensor.Rows(tensors, columns, rowsPerPart);
  }

  private ByteBuffer map(GgufTensorInfo tensor, long position, long size) {
    try {
      return channel
          .map(FileChannel.MapMode.READ_ONLY, position, size)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot map tensor '" + tensor.name() + "' of GGUF file " + file + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new ModelLoadException("cannot close GGUF file " + file + ": " + e, e);
    }
  }
}
