package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads the header of a GGUF file sequentially through a small buffer. Every length read from the
 * file is checked against a cap and against the bytes the file still has before anything is
 * allocated for it, so a corrupt or hostile header fails with a message instead of filling the
 * heap.
 */
final class GgufHeaderReader {

  private final Path file;
  private final FileChannel channel;
  private final long fileSize;
  private final long headerCap;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  // The file position of buffer index 0; the buffer holds [bufferStart, bufferStart + limit).
  private long bufferStart;

  GgufHeaderReader(Path file, FileChannel channel, long fileSize, long headerCap) {
    this.file = file;
    this.channel = channel;
    this.fileSize = fileSize;
    this.headerCap = headerCap;
    buffer.limit(0);
  }

  /** Returns the file position of the next byte to read. */
  long position() {
    return bufferStart + buffer.position();
  }

  /** Returns how many header bytes may still be read: to the end of the file or the cap. */
  long remaining() {
    return Math.min(fileSize, headerCap) - position();
  }

  int u8(String what) {
    fill(1, what);
    return buffer.get() & 0xff;
  }

  short u16(String what) {
    fill(2, what);
    return buffer.getShort();
  }

  int u32(String what) {
    fill(4, what);
    return buffer.getInt();
  }

  long u64(String what) {
    fill(8, what);
    return buffer.getLong();
  }

  /**
   * Reads a length-prefixed UTF-8 string.
   *
   * @param cap the longest accepted, in bytes
   * @param what what the string is, for messages ("metadata key 12")
   */
  String string(long cap, String what) {
    long length = u64("the length of " + what);
    if (length < 0 || length > cap) {
      throw fail(
          what
              + " declares a length of "
              + Long.toUnsignedString(length)
              + " bytes, more than the "
              + cap
              + " this loader accepts");
    }
    checkAvailable(length, what);
    byte[] bytes = new byte[(int) length];
    int copied = 0;
    while (copied < bytes.length) {
      if (!buffer.hasRemaining()) {
        fill(1, what);
      }
      int chunk = Math.min(buffer.remaining(), bytes.length - copied);
      buffer.get(bytes, copied, chunk);
      copied += chunk;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Fails unless {@code bytes} more header bytes can be read. */
  void checkAvailable(long bytes, String what) {
    if (bytes > remaining()) {
      throw fail(
          what
              + " needs "
              + bytes
              + " bytes at byte "
              + position()
              + " but "
              + (fileSize <= headerCap
                  ? "the file ends at byte " + fileSize + ": the file is truncated"
                  : "the header may take at most " + headerCap + " bytes"));
    }
  }

  private void fill(int bytes, String what) {
    if (buffer.remaining() >= bytes) {
      return;
    }
    checkAvailable(bytes, what);
    bufferStart += buffer.position();
    buffer.compact();
    try {
      while (buffer.position() < bytes) {
        int read = channel.read(buffer, bufferStart + buffer.position());
        if (read < 0) {
          throw fail(what + " is cut off by the end of the file at byte " + fileSize);
        }
      }
    } catch (IOException e) {
      throw new ModelLoadException("cannot read GGUF file " + file + ": " + e, e);
    }
    buffer.flip();
  }

  ModelLoadException fail(String problem) {
    return new ModelLoadException("GGUF file " + file + ": " + problem);
  }
}
