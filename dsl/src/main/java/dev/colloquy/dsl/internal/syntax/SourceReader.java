package dev.colloquy.dsl.internal.syntax;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a definition file as strict UTF-8 with a size cap, so that a huge or binary file costs at
 * most the cap and ends in a diagnostic, never in an exception.
 */
public final class SourceReader {
  /** The default largest file accepted: 4 MiB, far beyond any hand-written definition. */
  public static final int DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

  private SourceReader() {}

  /**
   * Reads and parses a file.
   *
   * @param file the file
   * @param name its name in messages
   * @param maxBytes the largest size accepted
   */
  public static ParsedSource read(Path file, String name, int maxBytes) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // Read at most one byte past the cap: enough to know the file is too large.
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      return ParsedSource.failed(
          name,
          "cannot read the file: " + e.getClass().getSimpleName(),
          "check that it exists and is readable");
    }
    return decode(bytes, name, maxBytes);
  }

  /** Decodes bytes as strict UTF-8 and parses them. */
  public static ParsedSource decode(byte[] bytes, String name, int maxBytes) {
    if (bytes.length > maxBytes) {
      return ParsedSource.failed(
          name,
          "the file is larger than " + maxBytes + " bytes",
          "split the definitions into several files");
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      out.flip();
      return ParsedSource.failedAfter(
          name,
          out.toString(),
          "the file is not valid UTF-8 (byte 0x"
              + String.format("%02X", bytes[in.position()] & 0xFF)
              + " at offset "
              + in.position()
              + ")",
          "save the file as UTF-8");
    }
    out.flip();
    return ParsedSource.parse(name, out.toString());
  }
}
