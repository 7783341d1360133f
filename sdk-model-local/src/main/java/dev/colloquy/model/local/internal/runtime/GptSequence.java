package dev.colloquy.model.local.internal.runtime;

/** One token sequence and its KV cache. Not thread-safe. */
public interface GptSequence extends AutoCloseable {

  /**
   * Runs the model over {@code tokens} at the positions after those already in the cache, appends
   * their keys and values to the cache, and returns the logits after the last of them.
   *
   * @param tokens one or more token ids
   * @return the next-token logits, [vocab]
   * @throws IllegalStateException if the cache would exceed its capacity
   */
  float[] append(int[] tokens);

  /** Returns how many tokens the cache holds. */
  int length();

  /** Releases the cache. */
  @Override
  void close();
}
