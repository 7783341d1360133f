package dev.colloquy.model.local.internal.generation;

/** Finds where a JSON object or array written by a model ends, strings and escapes respected. */
final class JsonExtent {

  /** The value is not finished yet. */
  static final int INCOMPLETE = -1;

  private JsonExtent() {}

  /**
   * Returns the index just past the object or array starting at {@code from} ({@code '{'} or
   * {@code '['}), or {@link #INCOMPLETE}. Brackets are counted without checking that they pair up
   * by kind; the JSON parser judges the rest.
   */
  static int end(CharSequence text, int from) {
    int depth = 0;
    boolean inString = false;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return INCOMPLETE;
  }
}
