package dev.colloquy.model.remote.internal.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The fast path for the chunks of one event stream: one non-blocking Jackson parser for the whole
 * stream, fed each event's data bytes, so an ordinary chunk costs no parser, no decoded copy of
 * its data and no string but its text (a parser per chunk cost about 1 KB of garbage).
 *
 * <p>Invariant: it only ever answers for data that the per-chunk text path
 * ({@link ChunkReader#read(ObjectMapper, String, String)}) would read to the very same chunk, and
 * answers {@code null} for anything else, leaving it to that path and its errors. So it takes
 * data that is well-formed UTF-8 (what Java's decoder would decode without replacement) holding
 * one complete JSON object and nothing after it but whitespace, and that Jackson reads to the end
 * without error; and it hands back no chunk that flags an error. After any failure the parser,
 * whose state is then unknown, is dropped and a new one made for the next event. Not thread-safe:
 * one per stream.
 */
final class ChunkStreamReader {

  private final ObjectMapper mapper;
  private final ChunkReader.Chunk chunk = new ChunkReader.Chunk();
  private JsonParser parser;
  private ByteArrayFeeder feeder;

  ChunkStreamReader(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Reads the chunk in {@code data[0, length)}.
   *
   * @param knownModel the model id seen so far, or null, reused when the chunk repeats it
   * @return the chunk (reused by the next call), or null when the text path must read this data
   */
  ChunkReader.Chunk read(byte[] data, int length, String knownModel) {
    int start = 0;
    while (start < length && isWhitespace(data[start])) {
      start++;
    }
    int end = objectEnd(data, start, length);
    if (end < 0 || !onlyWhitespace(data, end, length) || !isWellFormedUtf8(data, start, end)) {
      return null;
    }
    try {
      if (parser == null) {
        parser = new WholeInput(mapper.getFactory().createNonBlockingByteArrayParser(), mapper);
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
      }
      feeder.feedInput(data, start, end);
      chunk.clear();
      ChunkReader.read(parser, chunk, "delta", knownModel);
      if (parser.currentToken() != JsonToken.END_OBJECT || !parser.getParsingContext().inRoot()
          || parser.nextToken() != JsonToken.NOT_AVAILABLE) {
        throw new JsonEOFException(parser, null, "the object did not end where the data did");
      }
    } catch (IOException | RuntimeException e) {
      parser = null; // its state is unknown: the text path reads this data, a new parser the next
      return null;
    }
    return chunk.error ? null : chunk;
  }

  /**
   * Returns the index after the brace that closes the object opening at {@code start}, or -1 when
   * the data does not start with an object or it does not close: strings and escapes are skipped
   * as JSON defines them, so for valid JSON this is where Jackson ends the object too.
   */
  private static int objectEnd(byte[] data, int start, int length) {
    if (start >= length || data[start] != '{') {
      return -1;
    }
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < length; i++) {
      byte b = data[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if ((b == '}' || b == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * Returns whether the bytes are well-formed UTF-8 (Unicode table 3-7: no overlong forms, no
   * surrogates, nothing above U+10FFFF, no cut sequence), which is exactly what Java's decoder
   * decodes without replacement characters; Jackson, which decodes for itself, then sees the same
   * characters.
   */
  static boolean isWellFormedUtf8(byte[] data, int from, int to) {
    int i = from;
    while (i < to) {
      int b = data[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      int count;
      int low = 0x80;
      int high = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        count = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        count = 2;
        low = b == 0xE0 ? 0xA0 : 0x80;
        high = b == 0xED ? 0x9F : 0xBF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        count = 3;
        low = b == 0xF0 ? 0x90 : 0x80;
        high = b == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      if (i + count >= to) {
        return false; // the sequence is cut
      }
      int second = data[i + 1] & 0xFF;
      if (second < low || second > high) {
        return false;
      }
      for (int k = 2; k <= count; k++) {
        if ((data[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += count + 1;
    }
    return true;
  }

  private static boolean onlyWhitespace(byte[] data, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isWhitespace(data[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /**
   * Turns the non-blocking parser's "needs more input" into an end-of-input error, and lends it
   * the mapper for the tool-call trees (a non-blocking parser refuses a codec of its own).
   */
  private static final class WholeInput extends JsonParserDelegate {

    private final ObjectMapper codec;

    WholeInput(JsonParser parser, ObjectMapper codec) {
      super(parser);
      this.codec = codec;
    }

    @Override
    public ObjectMapper getCodec() {
      return codec;
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken token = delegate.nextToken();
      if (token == JsonToken.NOT_AVAILABLE && !delegate.getParsingContext().inRoot()) {
        throw new JsonEOFException(this, token, "the chunk ended inside its JSON");
      }
      return token;
    }

    @Override
    public JsonToken nextValue() throws IOException {
      JsonToken token = nextToken();
      return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }
  }
}
