package dev.colloquy.model.local.internal.generation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The token ids of replies a model generated, by their text, so that a later prompt carrying one of
 * those replies in its history encodes it with the ids the model wrote rather than by re-tokenizing
 * the text.
 *
 * <p>Why: a model does not always write the tokenization its tokenizer would give its text ("
 * hello" as " hel" + "lo"). Re-tokenized, the history departs from the tokens the conversation's KV
 * cache holds at the first such reply, and every turn after it runs again; and the model reads its
 * own words in a form it did not write. Text is the key because that is what comes back in the next
 * request; when two generations wrote the same text with other ids, the shorter (then the
 * lexicographically smaller) id sequence is kept, so the choice does not depend on their order.
 * Least recently used entries go first beyond {@code maxEntries}.
 *
 * <p>Thread-safe.
 */
public final class ReplyMemory {

  private final int maxEntries;
  private final Map<String, int[]> byText;

  /**
   * @param maxEntries the most replies kept; 0 keeps none
   */
  public ReplyMemory(int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must be at least 0, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.byText =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > ReplyMemory.this.maxEntries;
          }
        };
  }

  /**
   * Remembers that the model wrote {@code text} as {@code ids}; the caller has checked that the ids
   * decode to exactly that text.
   */
  public synchronized void remember(String text, int[] ids) {
    if (maxEntries == 0 || text.isEmpty() || ids.length == 0) {
      return;
    }
    int[] kept = byText.get(text);
    if (kept == null || precedes(ids, kept)) {
      byText.put(text, ids.clone());
    }
  }

  /** Returns the ids the model wrote this text with, if it is a reply it generated. */
  public synchronized Optional<int[]> ids(String text) {
    int[] ids = byText.get(text);
    return ids == null ? Optional.empty() : Optional.of(ids.clone());
  }

  /** Returns how many replies are kept. */
  public synchronized int size() {
    return byText.size();
  }

  private static boolean precedes(int[] a, int[] b) {
    return a.length != b.length ? a.length < b.length : Arrays.compare(a, b) < 0;
  }
}
