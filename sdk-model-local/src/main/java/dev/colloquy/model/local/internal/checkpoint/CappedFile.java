package dev.colloquy.model.local.internal.checkpoint;

import dev.colloquy.model.local.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the small files of a model directory whole, refusing any larger than a cap. At most {@code
 * cap + 1} bytes are read, so an endless file ({@code /dev/zero}, a pipe that keeps writing) stops
 * at the cap instead of filling the heap.
 */
public final class CappedFile {

  /** The most bytes read from {@code config.json} or {@code generation_config.json} (1 MiB). */
  public static final int CONFIG_CAP = 1 << 20;

  /**
   * The most bytes read from {@code tokenizer.json}, {@code vocab.json} or {@code merges.txt} (64
   * MiB).
   */
  public static final int TOKENIZER_CAP = 64 << 20;

  private CappedFile() {}

  /**
   * Reads a file whole.
   *
   * @param file the file
   * @param cap the most bytes accepted
   * @param what what the file is, for the message ("model configuration")
   * @return the file's bytes, at most {@code cap}
   * @throws ModelLoadException naming the file and the cap when it is larger
   * @throws IOException when it cannot be read (the caller says what the file is for)
   */
  public static byte[] read(Path file, int cap, String what) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(cap + 1);
    }
    if (bytes.length > cap) {
      throw new ModelLoadException(
          what
              + " "
              + file
              + " is larger than "
              + describe(cap)
              + ", the most this loader reads for it: is it the right file?");
    }
    return bytes;
  }

  /** Returns a cap as {@code 1 MiB} or {@code 512 bytes}. */
  static String describe(int cap) {
    return cap % (1 << 20) == 0 ? (cap >> 20) + " MiB" : cap + " bytes";
  }
}
