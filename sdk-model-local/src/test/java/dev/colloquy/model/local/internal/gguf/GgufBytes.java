package dev.colloquy.model.local.internal.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes GGUF bytes field by field, so a test can build files the writer never would. */
final class GgufBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A header: magic, version 3, the counts. */
  static GgufBytes header(long tensorCount, long keyCount) {
    return new GgufBytes().u32(0x46554747).u32(3).u64(tensorCount).u64(keyCount);
  }

  GgufBytes u8(int value) {
    out.write(value);
    return this;
  }

  GgufBytes u32(long value) {
    out.writeBytes(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
    return this;
  }

  GgufBytes u64(long value) {
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    return this;
  }

  GgufBytes string(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    u64(bytes.length);
    out.writeBytes(bytes);
    return this;
  }

  /** A tensor info: name, dimensions (ggml order), type id, offset. */
  GgufBytes tensor(String name, int type, long offset, long... dimensions) {
    string(name).u32(dimensions.length);
    for (long dimension : dimensions) {
      u64(dimension);
    }
    return u32(type).u64(offset);
  }

  /** Zero bytes up to the next multiple of {@code alignment}. */
  GgufBytes align(int alignment) {
    while (out.size() % alignment != 0) {
      out.write(0);
    }
    return this;
  }

  GgufBytes zeros(int count) {
    out.writeBytes(new byte[count]);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  Path write(Path file) {
    try {
      return Files.write(file, bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
