package dev.colloquy.model.local.internal.generation;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns generated token bytes into text deltas. Invariants: a delta never ends inside a UTF-8
 * character or between the two halves of a surrogate pair (bytes of an unfinished character wait
 * for the next token); text that could still become the start of a stop sequence is held back until
 * it cannot; once a stop sequence appears, the text before it is the whole reply. Leading
 * whitespace of the reply is dropped (chat formats end the prompt with a role label and the model
 * starts with a space). Not thread-safe.
 */
public final class TextStream {

  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final List<String> stops;
  private final Consumer<String> sink;
  private final StringBuilder text = new StringBuilder();
  private ByteBuffer pending = ByteBuffer.allocate(0);
  private int emitted;
  private boolean stopped;

  /**
   * @param stops the stop sequences, none empty
   * @param sink receives each non-empty delta
   */
  public TextStream(List<String> stops, Consumer<String> sink) {
    this.stops = List.copyOf(stops);
    this.sink = sink;
  }

  /**
   * Adds a token's bytes; emits what became final.
   *
   * @return whether a stop sequence has appeared (the reply is then complete)
   */
  public boolean append(byte[] bytes) {
    if (stopped) {
      return true;
    }
    ByteBuffer input = ByteBuffer.allocate(pending.remaining() + bytes.length);
    input.put(pending).put(bytes).flip();
    CharBuffer output = CharBuffer.allocate(input.remaining() + 2);
    decoder.decode(input, output, false);
    pending = input.slice();
    appendText(output.flip());
    return settle(false);
  }

  /** Ends the stream: flushes unfinished bytes (as U+FFFD) and held-back text. */
  public void finish() {
    if (stopped) {
      return;
    }
    CharBuffer output = CharBuffer.allocate(pending.remaining() + 4);
    decoder.decode(pending, output, true);
    decoder.flush(output);
    pending = ByteBuffer.allocate(0);
    appendText(output.flip());
    settle(true);
  }

  /** Returns the reply so far: everything emitted (after {@link #finish()}, the whole reply). */
  public String emittedText() {
    return text.substring(0, emitted);
  }

  /**
   * Returns the length of the text decoded so far, held-back text included; once a stop sequence
   * has appeared, the length of the reply before it.
   */
  public int textLength() {
    return text.length();
  }

  private void appendText(CharBuffer chars) {
    if (text.isEmpty()) {
      while (chars.hasRemaining() && Character.isWhitespace(chars.get(chars.position()))) {
        chars.get();
      }
    }
    text.append(chars);
  }

  private boolean settle(boolean end) {
    int stopAt = -1;
    for (String stop : stops) {
      int at = text.indexOf(stop, Math.max(0, emitted - stop.length()));
      if (at >= 0 && (stopAt < 0 || at < stopAt)) {
        stopAt = at;
      }
    }
    if (stopAt >= 0) {
      stopped = true;
      text.setLength(stopAt);
      emitUpTo(stopAt);
      return true;
    }
    int safe = end ? text.length() : text.length() - heldBack();
    if (!end && safe > 0 && Character.isHighSurrogate(text.charAt(safe - 1))) {
      safe--;
    }
    emitUpTo(safe);
    return false;
  }

  /** The longest tail of the text that is a proper prefix of a stop sequence. */
  private int heldBack() {
    int longest = 0;
    for (String stop : stops) {
      for (int length = Math.min(stop.length() - 1, text.length() - emitted);
          length > longest;
          length--) {
        if (text.substring(text.length() - length).equals(stop.substring(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }

  private void emitUpTo(int end) {
    if (end > emitted) {
      String delta = text.substring(emitted, end);
      emitted = end;
      sink.accept(delta);
    }
  }
}
