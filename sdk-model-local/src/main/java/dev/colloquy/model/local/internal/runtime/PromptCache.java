package dev.colloquy.model.local.internal.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The KV caches of recent generations, kept between requests so that a prompt that continues one
 * (the next turn of a conversation, another conversation under the same system prompt) is computed
 * only from where it departs from what is cached.
 *
 * <p>Design note. An entry is an idle {@link GptSequence} and the token ids it holds; its key is
 * those ids, so only a true common prefix is ever reused. {@link #lease} picks the entry with the
 * longest common prefix with the new prompt (at most the prompt's length less one, since the last
 * prompt token must be run to get logits), then:
 *
 * <ul>
 *   <li>takes the entry out of the cache and {@link GptSequence#truncate truncates} it to that
 *       prefix when the part it would lose is at most a quarter of the prefix (the usual next turn:
 *       nothing is lost, or a reply's last tokens that the template renders differently), moving it
 *       to a bigger sequence with {@link GptSequence#copy} when it lacks room;
 *   <li>otherwise leaves the entry in place and copies the prefix into a new sequence (another
 *       conversation branching off after a shared system prompt keeps its own cache).
 * </ul>
 *
 * A leased sequence belongs to one caller until {@link Lease#close}: it is never in the cache at
 * the same time, so two generations never share one. Closing a lease returns its sequence to the
 * cache only when {@link Lease#keep} was called (the generation completed); a cancelled or failed
 * generation's sequence is closed and forgotten. On return, entries whose tokens are a prefix of
 * the returned ones are dropped (they can never be the longest match again), then the least
 * recently used entries are evicted until the entries' {@link GptSequence#cacheBytes} fit the
 * budget. Sequences are allocated with headroom ({@link #allocate}), so a conversation's cache
 * moves to a bigger sequence only every few turns. A reused or roomier sequence computes what a
 * fresh one of the requested capacity would ({@link GptSequence#matchesCapacity} guards the one
 * exception, longrope).
 *
 * <p>Thread-safe: the entries are guarded by this object's monitor; appends run outside it, on
 * leased sequences only.
 */
public final class PromptCache implements AutoCloseable {

  /** The fewest positions a cached sequence gets beyond what its first generation needs. */
  static final int HEADROOM = 256;

  private final GptRuntime runtime;
  private final long budgetBytes;
  private final List<Entry> entries = new ArrayList<>(); // idle sequences only
  private long useCounter; // a logical clock for least-recently-used order
  private boolean closed;

  /**
   * Creates an empty cache.
   *
   * @param runtime the engine whose sequences it keeps
   * @param budgetBytes the most KV-cache bytes kept between requests; 0 keeps nothing
   */
  public PromptCache(GptRuntime runtime, long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("budgetBytes must be at least 0, was " + budgetBytes);
    }
    this.runtime = runtime;
    this.budgetBytes = budgetBytes;
  }

  /**
   * Returns a sequence with room for {@code capacity} tokens that holds the longest cached prefix
   * of {@code prompt} (possibly none); append the rest of the prompt with {@link Lease#append}.
   *
   * @param prompt the whole prompt, at least one token
   * @param capacity the room the generation needs, at least the prompt's length
   */
  public synchronized Lease lease(int[] prompt, int capacity) {
    if (closed) {
      throw new IllegalStateException("the prompt cache is closed");
    }
    Entry best = null;
    int bestPrefix = 0;
    for (Entry entry : entries) {
      int prefix = commonPrefix(entry.tokens, prompt, prompt.length - 1);
      if (prefix > bestPrefix) {
        best = entry;
        bestPrefix = prefix;
      }
    }
    if (best == null || !best.sequence.matchesCapacity(capacity)) {
      return new Lease(allocate(capacity), new int[0]);
    }
    int[] reused = Arrays.copyOf(prompt, bestPrefix);
    int lost = best.tokens.length - bestPrefix;
    if (4L * lost > bestPrefix) {
      best.lastUse = ++useCounter;
      return new Lease(move(best.sequence, bestPrefix, capacity), reused);
    }
    entries.remove(best);
    if (best.sequence.capacity() >= capacity) {
      best.sequence.truncate(bestPrefix);
      return new Lease(best.sequence, reused);
    }
    try {
      return new Lease(move(best.sequence, bestPrefix, capacity), reused);
    } finally {
      best.sequence.close();
    }
  }

  /**
   * With the cache on, a sequence gets headroom for the turns that will extend it (half again, at
   * least {@link #HEADROOM} positions, within the context), so that it moves only every few turns;
   * where the headroom would change its rotary frequencies it gets exactly {@code capacity}.
   */
  private GptSequence allocate(int capacity) {
    int roomy = roomy(capacity);
    if (roomy > capacity) {
      GptSequence sequence = runtime.newSequence(roomy);
      if (sequence.matchesCapacity(capacity)) {
        return sequence;
      }
      sequence.close();
    }
    return runtime.newSequence(capacity);
  }

  private GptSequence move(GptSequence from, int prefix, int capacity) {
    int roomy = roomy(capacity);
    return from.copy(prefix, roomy > capacity && from.matchesCapacity(roomy) ? roomy : capacity);
  }

  private int roomy(int capacity) {
    if (budgetBytes == 0) {
      return capacity;
    }
    long wanted = Math.max((long) capacity + HEADROOM, capacity + capacity / 2L);
    return (int) Math.min(wanted, runtime.contextLength());
  }

  /** Returns how many sequences are kept. */
  public synchronized int size() {
    return entries.size();
  }

  /** Returns the KV-cache bytes kept. */
  public synchronized long bytes() {
    long total = 0;
    for (Entry entry : entries) {
      total += entry.sequence.cacheBytes();
    }
    return total;
  }

  /** Closes every kept sequence; leases still open close theirs when they end. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Entry entry : entries) {
      entry.sequence.close();
    }
    entries.clear();
  }

  private synchronized void give(GptSequence sequence, int[] tokens) {
    if (closed || sequence.cacheBytes() > budgetBytes || tokens.length == 0) {
      sequence.close();
      return;
    }
    entries.removeIf(
        entry -> {
          boolean subsumed =
              commonPrefix(entry.tokens, tokens, tokens.length) == entry.tokens.length;
          if (subsumed) {
            entry.sequence.close();
          }
          return subsumed;
        });
    entries.add(new Entry(sequence, tokens, ++useCounter));
    long total = bytes();
    while (total > budgetBytes) {
      Entry oldest = entries.get(0);
      for (Entry entry : entries) {
        if (entry.lastUse < oldest.lastUse) {
          oldest = entry;
        }
      }
      entries.remove(oldest);
      total -= oldest.sequence.cacheBytes();
      oldest.sequence.close();
    }
  }

  private static int commonPrefix(int[] a, int[] b, int limit) {
    int end = Math.min(Math.min(a.length, b.length), limit);
    int i = 0;
    while (i < end && a[i] == b[i]) {
      i++;
    }
    return i;
  }

  private static final class Entry {
    final GptSequence sequence;
    final int[] tokens; // the ids the sequence holds, [sequence.length()]
    long lastUse;

    Entry(GptSequence sequence, int[] tokens, long lastUse) {
      this.sequence = sequence;
      this.tokens = tokens;
      this.lastUse = lastUse;
    }
  }

  /**
   * One generation's sequence. Not thread-safe; use it from one thread and close it once, in a
   * {@code finally} or try-with-resources.
   */
  public final class Lease implements AutoCloseable {
    private final GptSequence sequence;
    private int[] tokens; // [capacity], the first sequence.length() are the ids it holds
    private final int reused;
    private boolean kept;
    private boolean closed;

    private Lease(GptSequence sequence, int[] reusedTokens) {
      this.sequence = sequence;
      this.reused = reusedTokens.length;
      this.tokens = Arrays.copyOf(reusedTokens, sequence.capacity());
    }

    /** Returns how many leading prompt tokens came from the cache (0 when none). */
    public int reused() {
      return reused;
    }

    /** Returns how many tokens the sequence holds. */
    public int length() {
      return sequence.length();
    }

    /** Returns the most tokens the sequence can hold, at least the capacity asked for. */
    public int capacity() {
      return sequence.capacity();
    }

    /**
     * Appends tokens, as {@link GptSequence#append}, remembering their ids.
     *
     * @return the next-token logits, [vocab]
     */
    public float[] append(int[] newTokens) {
      return append(newTokens, GptSequence::append);
    }

    /**
     * Appends tokens through {@code step}, which must append them to the given sequence as {@link
     * GptSequence#append} does (a step scheduler running it in a batch), remembering their ids.
     *
     * @return the next-token logits that {@code step} returned, [vocab]
     */
    public float[] append(int[] newTokens, BiFunction<GptSequence, int[], float[]> step) {
      int start = sequence.length();
      float[] logits = step.apply(sequence, newTokens);
      System.arraycopy(newTokens, 0, tokens, start, newTokens.length);
      return logits;
    }

    /** Marks the generation complete, so that {@link #close} returns the sequence to the cache. */
    public void keep() {
      kept = true;
    }

    /** Returns the sequence to the cache if {@link #keep} was called, else releases it. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (kept) {
        give(sequence, Arrays.copyOf(tokens, sequence.length()));
      } else {
        sequence.close();
      }
    }
  }
}
