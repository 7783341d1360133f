package dev.colloquy.model.remote.internal.openai;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.core.base.ParserMinimalBase;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A JSON tokenizer over one event's bytes, reused for every event of a stream, that lets {@link
 * ChunkReader} read an ordinary chunk without a Jackson parser per chunk: it allocates nothing but
 * the strings asked for, and field names only the first time each is seen.
 *
 * <p>Design note. It accepts a strict subset of what Jackson (with {@code ObjectMapper}'s defaults)
 * accepts, and gives the same tokens and the same text for it: RFC 8259 grammar with a root object;
 * only {@code \" \\ \/ \b \f \n \r \t \\uXXXX} escapes; no raw control characters; well-formed
 * UTF-8 only (what Java's decoder decodes without replacement, so the text path, which decodes
 * first, sees the same characters); numbers without leading zeros. Beyond that it gives up, by
 * throwing, where it does not want to follow Jackson: nesting deeper than 64, names over 1,000
 * bytes or numbers over 64 characters (Jackson's own limits are larger), number values other than
 * integers of up to 9 digits (as {@code int}) or 18 digits (as {@code long}), and trees (there is
 * no codec, so tool-call deltas give up). Giving up is always safe: the caller then reads the data
 * with Jackson. Not thread-safe.
 */
final class ChunkTokenizer extends ParserMinimalBase {

  private static final int MAX_DEPTH = 64;
  private static final int MAX_NAME_BYTES = 1_000;
  private static final int MAX_NUMBER_CHARS = 64;
  private static final int NAME_SLOT_BITS = 7;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * The bytes that a string holds as they are: ASCII but quote, backslash and control characters.
   */
  private static final boolean[] PLAIN = new boolean[256];

  static {
    for (int b = 0x20; b < 0x80; b++) {
      PLAIN[b] = b != '"' && b != '\\';
    }
  }

  private byte[] input = new byte[0];
  private int position;
  private int end;

  /** Bit {@code d} is set when the container at depth {@code d + 1} is an object. */
  private long objects;

  private int depth;

  /** The current field name at each depth. */
  private final String[] names = new String[MAX_DEPTH + 1];

  /** Field names seen before (open addressing, four probes), so a repeated name costs no string. */
  private final String[] nameStrings = new String[1 << NAME_SLOT_BITS];

  private final long[] nameHeads = new long[1 << NAME_SLOT_BITS];
  private final long[] nameTails = new long[1 << NAME_SLOT_BITS];

  /** The current string's bytes (quotes excluded), or the current number's. */
  private int valueStart;

  private int valueEnd;
  private boolean escaped;
  private boolean ascii;
  private boolean integral;
  private char[] chars = new char[64];
  private int charCount = -1;

  ChunkTokenizer() {
    super(0, StreamReadConstraints.defaults());
  }

  /** Starts over on {@code data[from, to)}. */
  void reset(byte[] data, int from, int to) {
    input = data;
    position = from;
    end = to;
    depth = 0;
    objects = 0;
    names[0] = null;
    _currToken = null;
    charCount = -1;
  }

  /** Returns whether nothing but whitespace follows the last token. */
  boolean atEnd() {
    skipWhitespace();
    return position == end;
  }

  @Override
  public JsonToken nextToken() throws IOException {
    charCount = -1;
    JsonToken previous = _currToken;
    skipWhitespace();
    if (previous == JsonToken.FIELD_NAME) {
      expect(':');
      skipWhitespace();
      return _currToken = value();
    }
    if (depth == 0) {
      if (previous != null) {
        if (position == end) {
          return _currToken = null;
        }
        throw fail("more data after the root value");
      }
      if (position == end || input[position] != '{') {
        throw fail("the root is not an object");
      }
      return _currToken = value();
    }
    boolean inObject = (objects & (1L << (depth - 1))) != 0;
    if (position == end) {
      throw new JsonEOFException(this, previous, "the data ended inside its JSON");
    }
    byte next = input[position];
    if (next == (inObject ? '}' : ']')) {
      position++;
      depth--;
      return _currToken = inObject ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
    }
    if (previous != JsonToken.START_OBJECT && previous != JsonToken.START_ARRAY) {
      expect(',');
      skipWhitespace();
    }
    return _currToken = inObject ? fieldName() : value();
  }

  private JsonToken fieldName() throws IOException {
    expect('"');
    scanString();
    if (valueEnd - valueStart > MAX_NAME_BYTES) {
      throw fail("a long field name");
    }
    names[depth] = escaped || !ascii ? text() : cachedName();
    return JsonToken.FIELD_NAME;
  }

  private JsonToken value() throws IOException {
    if (position == end) {
      throw new JsonEOFException(this, _currToken, "the data ended inside its JSON");
    }
    byte first = input[position];
    switch (first) {
      case '{', '[' -> {
        if (depth == MAX_DEPTH) {
          throw fail("nesting deeper than " + MAX_DEPTH);
        }
        position++;
        depth++;
        names[depth] = null;
        if (first == '{') {
          objects |= 1L << (depth - 1);
          return JsonToken.START_OBJECT;
        }
        objects &= ~(1L << (depth - 1));
        return JsonToken.START_ARRAY;
      }
      case '"' -> {
        position++;
        scanString();
        return JsonToken.VALUE_STRING;
      }
      case 't' -> {
        return literal("true", JsonToken.VALUE_TRUE);
      }
      case 'f' -> {
        return literal("false", JsonToken.VALUE_FALSE);
      }
      case 'n' -> {
        return literal("null", JsonToken.VALUE_NULL);
      }
      default -> {
        return number();
      }
    }
  }

  private JsonToken literal(String word, JsonToken token) throws IOException {
    if (end - position < word.length()) {
      throw fail("a cut literal");
    }
    for (int i = 0; i < word.length(); i++) {
      if (input[position + i] != word.charAt(i)) {
        throw fail("not a literal");
      }
    }
    position += word.length();
    return token;
  }

  private JsonToken number() throws IOException {
    valueStart = position;
    if (position < end && input[position] == '-') {
      position++;
    }
    if (position < end && input[position] == '0') {
      position++;
    } else if (digits() == 0) {
      throw fail("not a value");
    }
    integral = true;
    if (position < end && input[position] == '.') {
      position++;
      integral = false;
      if (digits() == 0) {
        throw fail("a fraction without digits");
      }
    }
    if (position < end && (input[position] == 'e' || input[position] == 'E')) {
      position++;
      integral = false;
      if (position < end && (input[position] == '+' || input[position] == '-')) {
        position++;
      }
      if (digits() == 0) {
        throw fail("an exponent without digits");
      }
    }
    valueEnd = position;
    if (valueEnd - valueStart > MAX_NUMBER_CHARS) {
      throw fail("a long number");
    }
    return integral ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
  }

  private int digits() {
    byte[] bytes = input;
    int from = position;
    int at = from;
    while (at < end && bytes[at] >= '0' && bytes[at] <= '9') {
      at++;
    }
    position = at;
    return at - from;
  }

  /** Scans a string whose opening quote is consumed, checking escapes and UTF-8. */
  private void scanString() throws IOException {
    valueStart = position;
    escaped = false;
    ascii = true;
    byte[] bytes = input;
    int limit = end;
    while (true) {
      int at = position;
      while (at + Long.BYTES <= limit) {
        long special = special((long) LONGS.get(bytes, at));
        if (special != 0) {
          at += Long.numberOfTrailingZeros(special) >>> 3; // the first special byte (little-endian)
          break;
        }
        at += Long.BYTES;
      }
      while (at < limit && PLAIN[bytes[at] & 0xFF]) {
        at++;
      }
      position = at;
      if (at == limit) {
        throw new JsonEOFException(this, _currToken, "the data ended inside a string");
      }
      int b = input[position];
      if (b == '"') {
        valueEnd = position++;
        return;
      }
      if (b == '\\') {
        escaped = true;
        position += escapeLength();
      } else if (b < 0) {
        ascii = false;
        position += utf8Length(position);
      } else {
        throw fail("a control character in a string");
      }
    }
  }

  /**
   * Flags, by its high bit, each of eight bytes that is a quote, a backslash, a control character
   * or non-ASCII (the "has a byte less than n" test of Hacker's Delight, on the word and on it
   * xor'ed); the lowest flag is exact, those above it may be false alarms.
   */
  private static long special(long word) {
    long quote = word ^ 0x2222222222222222L;
    long backslash = word ^ 0x5C5C5C5C5C5C5C5CL;
    return ((quote - ONES) & ~quote
            | (backslash - ONES) & ~backslash
            | (word - ONES * 0x20) & ~word
            | word)
        & HIGH_BITS;
  }

  private int escapeLength() throws IOException {
    if (position + 1 >= end) {
      throw fail("a cut escape");
    }
    switch (input[position + 1]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        return 2;
      }
      case 'u' -> {
        if (position + 6 > end) {
          throw fail("a cut escape");
        }
        for (int i = position + 2; i < position + 6; i++) {
          if (Character.digit(input[i], 16) < 0) {
            throw fail("a bad unicode escape");
          }
        }
        return 6;
      }
      default -> throw fail("an unknown escape");
    }
  }

  /**
   * Returns the length of the well-formed UTF-8 sequence at {@code at} (Unicode table 3-7), or
   * fails.
   */
  private int utf8Length(int at) throws IOException {
    int lead = input[at] & 0xFF;
    int count;
    int low = 0x80;
    int high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      count = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      count = 2;
      low = lead == 0xE0 ? 0xA0 : 0x80;
      high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      count = 3;
      low = lead == 0xF0 ? 0x90 : 0x80;
      high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      throw fail("malformed UTF-8");
    }
    if (at + count >= end) {
      throw fail("cut UTF-8");
    }
    int second = input[at + 1] & 0xFF;
    if (second < low || second > high) {
      throw fail("malformed UTF-8");
    }
    for (int k = 2; k <= count; k++) {
      if ((input[at + k] & 0xC0) != 0x80) {
        throw fail("malformed UTF-8");
      }
    }
    return count + 1;
  }

  private String cachedName() {
    int length = valueEnd - valueStart;
    // A name is told by its length and its first sixteen bytes, read as two words; longer ones
    // are compared in full as well.
    long head = word(valueStart, Math.min(length, Long.BYTES));
    long tail =
        length > Long.BYTES
            ? word(valueStart + Long.BYTES, Math.min(length - Long.BYTES, Long.BYTES))
            : 0;
    long mixed = (head * 31 + tail) * 0x9E3779B97F4A7C15L + length;
    int first = (int) (mixed >>> (64 - NAME_SLOT_BITS));
    int free = -1;
    for (int probe = 0; probe < 4; probe++) {
      int slot = (first + probe) & (nameStrings.length - 1);
      String cached = nameStrings[slot];
      if (cached == null) {
        free = free < 0 ? slot : free;
      } else if (cached.length() == length
          && nameHeads[slot] == head
          && nameTails[slot] == tail
          && (length <= 2 * Long.BYTES || sameRest(cached))) {
        return cached;
      }
    }
    int slot = free < 0 ? first : free;
    nameHeads[slot] = head;
    nameTails[slot] = tail;
    // Interned, as Jackson does, so that ChunkReader's equals() calls end at the identity check.
    nameStrings[slot] = new String(input, valueStart, length, StandardCharsets.ISO_8859_1).intern();
    return nameStrings[slot];
  }

  /** Reads {@code count} (1 to 8) bytes at {@code at} as a little-endian number; 0 for none. */
  private long word(int at, int count) {
    if (count == 0) {
      return 0;
    }
    if (at + Long.BYTES <= input.length) {
      long word = (long) LONGS.get(input, at);
      return count == Long.BYTES ? word : word & ((1L << (count * 8)) - 1);
    }
    long word = 0;
    for (int i = count - 1; i >= 0; i--) {
      word = word << 8 | (input[at + i] & 0xFF);
    }
    return word;
  }

  /** Compares the current name past its first sixteen bytes with an ASCII string. */
  private boolean sameRest(String cached) {
    for (int i = 2 * Long.BYTES; i < cached.length(); i++) {
      if (cached.charAt(i) != input[valueStart + i]) {
        return false;
      }
    }
    return true;
  }

  /** The current string, decoded. */
  private String text() {
    if (!escaped) {
      return new String(
          input,
          valueStart,
          valueEnd - valueStart,
          ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
    decode();
    return new String(chars, 0, charCount);
  }

  /** Decodes the current string into {@code chars}: escapes, and UTF-8 already checked. */
  private void decode() {
    if (charCount >= 0) {
      return;
    }
    if (chars.length < valueEnd - valueStart) {
      chars = new char[Math.max(valueEnd - valueStart, chars.length * 2)];
    }
    int count = 0;
    int i = valueStart;
    while (i < valueEnd) {
      int b = input[i];
      if (b == '\\') {
        byte kind = input[i + 1];
        char c =
            switch (kind) {
              case 'b' -> '\b';
              case 'f' -> '\f';
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case 'u' ->
                  (char)
                      (Character.digit(input[i + 2], 16) << 12
                          | Character.digit(input[i + 3], 16) << 8
                          | Character.digit(input[i + 4], 16) << 4
                          | Character.digit(input[i + 5], 16));
              default -> (char) kind;
            };
        chars[count++] = c;
        i += kind == 'u' ? 6 : 2;
      } else if (b >= 0) {
        chars[count++] = (char) b;
        i++;
      } else {
        int length = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
        int codePoint = b & (0xFF >> (length + 1));
        for (int k = 1; k < length; k++) {
          codePoint = (codePoint << 6) | (input[i + k] & 0x3F);
        }
        count += Character.toChars(codePoint, chars, count);
        i += length;
      }
    }
    charCount = count;
  }

  private void decodeAny() throws IOException {
    if (_currToken == JsonToken.VALUE_STRING) {
      decode();
    } else if (charCount < 0) {
      String text = getText();
      chars = text.length() > chars.length ? new char[text.length()] : chars;
      text.getChars(0, text.length(), chars, 0);
      charCount = text.length();
    }
  }

  private void expect(char c) throws IOException {
    if (position == end) {
      throw new JsonEOFException(this, _currToken, "the data ended inside its JSON");
    }
    if (input[position] != c) {
      throw fail("expected '" + c + "'");
    }
    position++;
  }

  private void skipWhitespace() {
    byte[] bytes = input;
    int at = position;
    while (at < end) {
      byte b = bytes[at];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        break;
      }
      at++;
    }
    position = at;
  }

  private JsonParseException fail(String what) {
    return new JsonParseException(this, "the fast chunk reader gives up: " + what);
  }

  // The JsonParser surface that ChunkReader uses; the rest gives up.

  @Override
  @SuppressWarnings("deprecation") // still abstract in Jackson 2, so it must be implemented
  public String getCurrentName() {
    boolean opening = _currToken == JsonToken.START_OBJECT || _currToken == JsonToken.START_ARRAY;
    return opening ? names[depth - 1] : names[depth];
  }

  @Override
  public String currentName() {
    return getCurrentName();
  }

  @Override
  public String getText() throws IOException {
    if (_currToken == null) {
      return null;
    }
    return switch (_currToken) {
      case VALUE_STRING -> text();
      case FIELD_NAME -> names[depth];
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
          new String(input, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
      default -> _currToken.asString();
    };
  }

  @Override
  public char[] getTextCharacters() throws IOException {
    decodeAny();
    return chars;
  }

  @Override
  public int getTextLength() throws IOException {
    if (_currToken == JsonToken.VALUE_STRING && ascii && !escaped) {
      return valueEnd - valueStart; // one character per byte: no need to decode to know
    }
    decodeAny();
    return charCount;
  }

  @Override
  public int getTextOffset() {
    return 0;
  }

  @Override
  public boolean hasTextCharacters() {
    return false;
  }

  @Override
  public int getIntValue() throws IOException {
    long value = getLongValue();
    if (value != (int) value || valueEnd - valueStart > 10) {
      throw fail("an int out of range");
    }
    return (int) value;
  }

  @Override
  public long getLongValue() throws IOException {
    if (_currToken != JsonToken.VALUE_NUMBER_INT || valueEnd - valueStart > 18) {
      throw fail("a number other than a small integer");
    }
    boolean negative = input[valueStart] == '-';
    long value = 0;
    for (int i = negative ? valueStart + 1 : valueStart; i < valueEnd; i++) {
      value = value * 10 + (input[i] - '0');
    }
    return negative ? -value : value;
  }

  @Override
  public Number getNumberValue() throws IOException {
    throw fail("a number object");
  }

  @Override
  public NumberType getNumberType() throws IOException {
    throw fail("a number type");
  }

  @Override
  public BigInteger getBigIntegerValue() throws IOException {
    throw fail("a big integer");
  }

  @Override
  public float getFloatValue() throws IOException {
    throw fail("a float");
  }

  @Override
  public double getDoubleValue() throws IOException {
    throw fail("a double");
  }

  @Override
  public BigDecimal getDecimalValue() throws IOException {
    throw fail("a decimal");
  }

  @Override
  public byte[] getBinaryValue(Base64Variant variant) throws IOException {
    throw fail("binary");
  }

  @Override
  protected void _handleEOF() throws JsonParseException {
    throw fail("the end of the data");
  }

  @Override
  public void overrideCurrentName(String name) {
    throw new UnsupportedOperationException("the fast chunk reader gives up: overriding a name");
  }

  @Override
  public JsonStreamContext getParsingContext() {
    throw new UnsupportedOperationException("the fast chunk reader gives up: a parsing context");
  }

  @Override
  public ObjectCodec getCodec() {
    return null; // so readValueAsTree (tool calls) fails and the caller reads the chunk with
    // Jackson
  }

  @Override
  public void setCodec(ObjectCodec codec) {
    throw new UnsupportedOperationException("the fast chunk reader has no codec");
  }

  @Override
  public Version version() {
    return Version.unknownVersion();
  }

  @Override
  @SuppressWarnings("deprecation") // still abstract in Jackson 2, so it must be implemented
  public JsonLocation getCurrentLocation() {
    return JsonLocation.NA;
  }

  @Override
  @SuppressWarnings("deprecation") // still abstract in Jackson 2, so it must be implemented
  public JsonLocation getTokenLocation() {
    return JsonLocation.NA;
  }

  @Override
  public void close() {}

  @Override
  public boolean isClosed() {
    return false;
  }
}
