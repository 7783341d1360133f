package dev.colloquy.model.local.internal.generation;

import dev.colloquy.core.message.ToolCall;
import java.util.List;

/**
 * Reads tool calls out of a model's reply while it streams: text goes on to the text sink, each
 * complete call to the call sink, and call syntax never goes on as text. Not thread-safe.
 */
public interface ToolCallParser {

  /** Adds a text delta of the reply. */
  void accept(String delta);

  /** Ends the reply: passes on held-back text and settles an unfinished call. */
  void finish();

  /** Returns the text passed on so far, stripped. */
  String text();

  /** Returns the calls parsed so far, in order. */
  List<ToolCall> calls();

  /** Returns warnings about malformed calls, in plain words. */
  List<String> warnings();
}
