package dev.colloquy.model.remote.internal.sse;

import dev.colloquy.model.remote.RemoteProtocolException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A push parser for the {@code text/event-stream} format as the WHATWG HTML standard defines it,
 * fed with bytes as they arrive from the network.
 *
 * <p>Invariants: bytes are buffered per line, and an event's data as bytes, so a read may split
 * anywhere, inside a multi-byte character included (CR and LF never occur inside one); data is
 * decoded as UTF-8 only for a {@code Consumer<SseEvent>}, an {@link SseEventSink} gets the bytes. A
 * line that lies whole in one read is parsed in place, and the line and data buffers are reused, so
 * a stream of ordinary events allocates nothing here. A CR ends a line at once and a LF right after
 * it (even in the next read) is swallowed. A UTF-8 BOM is dropped from the first line only. A line,
 * or the data of one event, larger than {@code maxLineBytes} fails with {@link
 * RemoteProtocolException} instead of growing without bound. Per the standard, an event not ended
 * by a blank line when the stream ends is discarded.
 *
 * <p>Not thread-safe: one parser per stream, fed by one thread at a time.
 */
public final class SseEventParser {

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int maxLineBytes;
  private final SseEventSink handler;

  private byte[] line = new byte[512];
  private int lineLength;
  private boolean afterCr;
  private boolean firstLine = true;

  /** Holds the bytes of a buffer whose array is not accessible (the HttpClient's are read-only). */
  private byte[] scratch;

  /** The event's data lines joined with LF; {@code hasData} tells an empty data line from none. */
  private byte[] data = new byte[512];

  private int dataLength;
  private boolean hasData;
  private String eventType = "";
  private String lastEventId = "";
  private long retryMillis = -1;

  /**
   * @param maxLineBytes the largest line, and the largest data of one event, accepted, in bytes
   * @param handler receives each dispatched event, its data decoded, on the feeding thread
   */
  public SseEventParser(int maxLineBytes, Consumer<SseEvent> handler) {
    this(maxLineBytes, decoding(Objects.requireNonNull(handler, "handler")));
  }

  /**
   * @param maxLineBytes the largest line, and the largest data of one event, accepted, in bytes
   * @param handler receives each dispatched event, its data as bytes, on the feeding thread
   */
  public SseEventParser(int maxLineBytes, SseEventSink handler) {
    if (maxLineBytes < 16) {
      throw new IllegalArgumentException("maxLineBytes must be at least 16, was " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  private static SseEventSink decoding(Consumer<SseEvent> handler) {
    return (type, data, length, lastEventId) ->
        handler.accept(
            new SseEvent(type, new String(data, 0, length, StandardCharsets.UTF_8), lastEventId));
  }

  /** Feeds the remaining bytes of a buffer, consuming them. */
  public void feed(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      int start = buffer.arrayOffset() + buffer.position();
      feed(buffer.array(), start, buffer.remaining());
      buffer.position(buffer.limit());
      return;
    }
    if (scratch == null) {
      scratch = new byte[8 * 1024];
    }
    while (buffer.hasRemaining()) {
      int length = Math.min(buffer.remaining(), scratch.length);
      buffer.get(scratch, 0, length);
      feed(scratch, 0, length);
    }
  }

  /**
   * Feeds bytes; complete events are handed to the handler before this returns.
   *
   * @throws RemoteProtocolException when a line or an event's data exceeds the limit
   */
  public void feed(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int end = offset + length;
    int i = offset;
    if (afterCr && i < end) {
      afterCr = false;
      if (bytes[i] == LF) {
        i++;
      }
    }
    while (i < end) {
      int terminator = indexOfTerminator(bytes, i, end);
      if (terminator < 0) {
        append(bytes, i, end - i);
        return;
      }
      if (lineLength == 0) {
        // Fast path: the whole line lies in this read, so it is parsed in place without a copy.
        checkLineLength(terminator - i);
        processLine(bytes, i, terminator - i);
      } else {
        append(bytes, i, terminator - i);
        processLine(line, 0, lineLength);
        lineLength = 0;
      }
      i = terminator + 1;
      if (bytes[terminator] == CR) {
        if (i < end) {
          if (bytes[i] == LF) {
            i++;
          }
        } else {
          afterCr = true;
        }
      }
    }
  }

  /** Ends the stream: a partial line or an event without its blank line is discarded. */
  public void finish() {
    lineLength = 0;
    resetEvent();
  }

  /** Returns the reconnection time the stream asked for with a {@code retry} field, if any. */
  public OptionalLong retryMillis() {
    return retryMillis < 0 ? OptionalLong.empty() : OptionalLong.of(retryMillis);
  }

  private static int indexOfTerminator(byte[] bytes, int from, int end) {
    int i = from;
    // Eight bytes at a time while none is a CR or a LF (the "has a zero byte" test on w ^ CR, w ^
    // LF).
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      long lf = word ^ 0x0A0A0A0A0A0A0A0AL;
      long cr = word ^ 0x0D0D0D0D0D0D0D0DL;
      long zero =
          ((lf - 0x0101010101010101L) & ~lf | (cr - 0x0101010101010101L) & ~cr)
              & 0x8080808080808080L;
      if (zero != 0) {
        return i
            + (Long.numberOfTrailingZeros(zero) >>> 3); // the lowest flag is exact (little-endian)
      }
    }
    for (; i < end; i++) {
      byte b = bytes[i];
      if (b == LF || b == CR) {
        return i;
      }
    }
    return -1;
  }

  private void append(byte[] bytes, int offset, int length) {
    checkLineLength(lineLength + length);
    if (lineLength + length > line.length) {
      int grown = Math.max(line.length * 2, lineLength + length);
      byte[] bigger = new byte[Math.min(grown, maxLineBytes)];
      System.arraycopy(line, 0, bigger, 0, lineLength);
      line = bigger;
    }
    System.arraycopy(bytes, offset, line, lineLength, length);
    lineLength += length;
  }

  private void checkLineLength(int length) {
    if (length > maxLineBytes) {
      throw new RemoteProtocolException(
          "an event-stream line is longer than the limit of "
              + maxLineBytes
              + " bytes; the stream was stopped. Raise maxLineLength on the model's "
              + "builder if the server legitimately sends such long lines.",
          null);
    }
  }

  private void processLine(byte[] bytes, int offset, int length) {
    if (firstLine) {
      firstLine = false;
      if (length >= 3
          && bytes[offset] == (byte) 0xEF
          && bytes[offset + 1] == (byte) 0xBB
          && bytes[offset + 2] == (byte) 0xBF) {
        offset += 3;
        length -= 3;
      }
    }
    if (length == 0) {
      dispatch();
      return;
    }
    if (bytes[offset] == ':') {
      return; // a comment, such as a keep-alive ": ping"
    }
    int colon = -1;
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] == ':') {
        colon = i;
        break;
      }
    }
    int fieldLength = colon < 0 ? length : colon - offset;
    int valueStart = colon < 0 ? offset + length : colon + 1;
    int valueEnd = offset + length;
    if (valueStart < valueEnd && bytes[valueStart] == ' ') {
      valueStart++;
    }
    if (is(bytes, offset, fieldLength, "data")) {
      addData(bytes, valueStart, valueEnd - valueStart);
    } else if (is(bytes, offset, fieldLength, "event")) {
      eventType = new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
    } else if (is(bytes, offset, fieldLength, "id")) {
      String id = new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
      if (id.indexOf('\0') < 0) {
        lastEventId = id;
      }
    } else if (is(bytes, offset, fieldLength, "retry")) {
      parseRetry(bytes, valueStart, valueEnd);
    }
    // Any other field is ignored, as the standard requires.
  }

  private static boolean is(byte[] bytes, int offset, int length, String field) {
    if (length != field.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (bytes[offset + i] != field.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void parseRetry(byte[] bytes, int start, int end) {
    if (start == end || end - start > 18) {
      return; // empty, or too long to be a sane number of milliseconds
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      if (bytes[i] < '0' || bytes[i] > '9') {
        return;
      }
      value = value * 10 + (bytes[i] - '0');
    }
    retryMillis = value;
  }

  private void addData(byte[] bytes, int offset, int length) {
    int separator = hasData ? 1 : 0;
    int total = dataLength + separator + length;
    if (total > maxLineBytes) {
      throw new RemoteProtocolException(
          "the data of one server-sent event is longer than the limit of "
              + maxLineBytes
              + " bytes; the stream was stopped. Raise maxLineLength on the model's builder "
              + "if the server legitimately sends such large events.",
          null);
    }
    if (total > data.length) {
      data = Arrays.copyOf(data, Math.min(Math.max(data.length * 2, total), maxLineBytes));
    }
    if (hasData) {
      data[dataLength] = LF;
    }
    System.arraycopy(bytes, offset, data, dataLength + separator, length);
    dataLength = total;
    hasData = true;
  }

  private void dispatch() {
    if (!hasData) {
      eventType = "";
      return;
    }
    String type = eventType.isEmpty() ? "message" : eventType;
    int length = dataLength;
    resetEvent();
    handler.onEvent(type, data, length, lastEventId);
  }

  private void resetEvent() {
    hasData = false;
    dataLength = 0;
    eventType = "";
  }
}
