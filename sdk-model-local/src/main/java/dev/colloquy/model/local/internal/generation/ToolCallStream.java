package dev.colloquy.model.local.internal.generation;

import dev.colloquy.core.message.ToolCall;
import dev.colloquy.model.local.internal.format.ToolTranscript;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits the model's reply text into plain text and tool calls written as {@code [call NAME
 * {json}]}. Invariants: text that could still be the start of a call is held back until it cannot;
 * call syntax is never passed on as text; a call is passed on once its closing bracket arrives;
 * whitespace right after a call is dropped. A call left unfinished when the reply ends is dropped
 * with a warning. Not thread-safe.
 */
public final class ToolCallStream implements ToolCallParser {

  private static final String OPEN = ToolTranscript.CALL_OPEN;
  private static final int INCOMPLETE = -1;
  private static final int INVALID = -2;

  private final Consumer<String> textSink;
  private final Consumer<ToolCall> callSink;
  private final StringBuilder held = new StringBuilder();
  private final StringBuilder text = new StringBuilder();
  private final List<ToolCall> calls = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private int nextCallNumber;
  private boolean afterCall;

  /**
   * @param firstCallNumber the number in the first call's id ({@code call_N}), so ids stay unique
   *     across a conversation
   * @param textSink receives each non-empty text delta
   * @param callSink receives each complete call
   */
  public ToolCallStream(
      int firstCallNumber, Consumer<String> textSink, Consumer<ToolCall> callSink) {
    this.nextCallNumber = firstCallNumber;
    this.textSink = textSink;
    this.callSink = callSink;
  }

  /** Adds a text delta of the reply. */
  @Override
  public void accept(String delta) {
    held.append(delta);
    while (true) {
      int start = held.indexOf(OPEN);
      if (start < 0) {
        emit(held.length() - heldBack());
        return;
      }
      emit(start);
      int end = callEnd(held);
      if (end == INCOMPLETE) {
        return;
      }
      if (end == INVALID) {
        emit(1);
        continue;
      }
      String body = held.substring(OPEN.length(), end - 1);
      held.delete(0, end);
      int space = body.indexOf(' ');
      ToolCall call =
          new ToolCall(
              "call_" + nextCallNumber++,
              body.substring(0, space),
              body.substring(space + 1).strip());
      calls.add(call);
      afterCall = true;
      callSink.accept(call);
    }
  }

  /** Ends the reply: passes on held-back text, or drops an unfinished call with a warning. */
  @Override
  public void finish() {
    if (held.indexOf(OPEN) == 0) {
      warnings.add("the model began a tool call it did not finish, which was dropped: " + held);
      held.setLength(0);
      return;
    }
    emit(held.length());
  }

  /** Returns the text passed on so far. */
  @Override
  public String text() {
    return text.toString().strip();
  }

  /** Returns the calls parsed so far, in order. */
  @Override
  public List<ToolCall> calls() {
    return List.copyOf(calls);
  }

  /** Returns warnings about malformed output, in plain words. */
  @Override
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  private void emit(int length) {
    String delta = held.substring(0, length);
    held.delete(0, length);
    if (afterCall) {
      delta = delta.stripLeading();
      if (delta.isEmpty()) {
        return;
      }
      afterCall = false;
    }
    if (!delta.isEmpty()) {
      text.append(delta);
      textSink.accept(delta);
    }
  }

  /** The longest tail of the held text that is a proper prefix of the call opener. */
  private int heldBack() {
    for (int length = Math.min(OPEN.length() - 1, held.length()); length > 0; length--) {
      if (held.substring(held.length() - length).equals(OPEN.substring(0, length))) {
        return length;
      }
    }
    return 0;
  }

  /**
   * Finds the end (exclusive) of the call at the start of {@code s}: a tool name, one space, a JSON
   * object (strings and escapes respected) and {@code ]}.
   */
  static int callEnd(CharSequence s) {
    int i = OPEN.length();
    int nameStart = i;
    while (i < s.length() && isNameChar(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return i - nameStart > 64 ? INVALID : INCOMPLETE;
    }
    if (i == nameStart || i - nameStart > 64 || s.charAt(i) != ' ') {
      return INVALID;
    }
    i++;
    if (i == s.length()) {
      return INCOMPLETE;
    }
    if (s.charAt(i) != '{') {
      return INVALID;
    }
    int depth = 0;
    boolean inString = false;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        int close = i + 1;
        while (close < s.length() && s.charAt(close) == ' ') {
          close++;
        }
        if (close == s.length()) {
          return INCOMPLETE;
        }
        return s.charAt(close) == ']' ? close + 1 : INVALID;
      } else if (c == '\n') {
        return INVALID;
      }
    }
    return INCOMPLETE;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-';
  }
}
