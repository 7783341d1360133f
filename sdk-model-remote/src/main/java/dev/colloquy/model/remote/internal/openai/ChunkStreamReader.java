package dev.colloquy.model.remote.internal.openai;

import java.io.IOException;

/**
 * The fast path for the chunks of one event stream: {@link ChunkReader} reads each event's data
 * bytes through one reused {@link ChunkTokenizer}, so an ordinary chunk costs no Jackson parser
 * (about 1 KB of garbage each), no decoded copy of its data, and no string but its text.
 *
 * <p>Invariant: it only answers for data that the text path ({@link
 * ChunkReader#read(com.fasterxml.jackson.databind.ObjectMapper, String, String)}) reads to the very
 * same chunk, and answers {@code null} for anything else, leaving it to that path and its errors:
 * data the tokenizer gives up on (see its design note), data with more than whitespace after its
 * object, data longer than 1 MiB (within every Jackson limit), and chunks that flag an error. Not
 * thread-safe: one per stream.
 */
final class ChunkStreamReader {

  private static final int MAX_BYTES = 1 << 20;

  private final ChunkTokenizer tokenizer = new ChunkTokenizer();
  private final ChunkReader.Chunk chunk = new ChunkReader.Chunk();

  /**
   * Reads the chunk in {@code data[0, length)}.
   *
   * @param knownModel the model id seen so far, or null, reused when the chunk repeats it
   * @return the chunk (reused by the next call), or null when the text path must read this data
   */
  ChunkReader.Chunk read(byte[] data, int length, String knownModel) {
    if (length > MAX_BYTES) {
      return null;
    }
    tokenizer.reset(data, 0, length);
    chunk.clear();
    try {
      ChunkReader.read(tokenizer, chunk, "delta", knownModel);
      if (!tokenizer.atEnd()) {
        return null; // the text path ignores what follows the object; let it
      }
    } catch (IOException | RuntimeException e) {
      return null; // given up (or not JSON): the text path reads it, or reports it
    }
    return chunk.error ? null : chunk;
  }
}
