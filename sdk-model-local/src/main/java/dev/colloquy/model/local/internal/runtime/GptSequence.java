package dev.colloquy.model.local.internal.runtime;

/**
 * One token sequence and its KV cache. Not thread-safe.
 *
 * <p>A sequence's capacity is fixed when it is created: a cache is never grown in place. To keep a
 * cache across conversation turns, a caller rolls it back with {@link #truncate} to the prefix it
 * shares with the next prompt, and where it needs more room moves it to a bigger sequence with
 * {@link #copy} (a pass over the cached keys and values, no model computation).
 */
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

  /** Returns the most tokens the cache can hold. */
  int capacity();

  /** Returns the bytes of its KV cache at its capacity (keys and values of every layer). */
  long cacheBytes();

  /**
   * Forgets the positions from {@code length} on, so that the next {@link #append} continues after
   * the first {@code length} tokens exactly as if only they had ever been appended.
   *
   * @param length 0 to {@link #length()}
   * @throws IllegalArgumentException if {@code length} is outside that range
   */
  void truncate(int length);

  /**
   * Returns whether a sequence created with {@code capacity} computes every position as this one
   * does. True for every engine except where rotary frequencies depend on the capacity (longrope on
   * either side of its original context), so that a reused cache never changes results.
   *
   * @param capacity 1 to the context length
   */
  default boolean matchesCapacity(int capacity) {
    return true;
  }

  /**
   * Returns a new sequence of {@code capacity} positions holding the first {@code length} positions
   * of this one's cache; this one is unchanged. Its results equal those of a sequence created with
   * that capacity and given those tokens.
   *
   * @param length 0 to {@link #length()}
   * @param capacity at least {@code length}, at most the context length
   * @throws IllegalArgumentException if a bound is violated or {@link #matchesCapacity} is false
   */
  GptSequence copy(int length, int capacity);

  /** Releases the cache. */
  @Override
  void close();
}
