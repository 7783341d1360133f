package dev.colloquy.core.cache;

/**
 * A snapshot of a {@link ResponseCache}'s counters since it was built.
 *
 * @param hits lookups answered from the cache
 * @param misses lookups that went to the model (requests not eligible for caching are not counted)
 * @param evictions entries removed for size or expiry
 * @param size entries held now (approximate)
 */
public record CacheStatistics(long hits, long misses, long evictions, long size) {

  /** Returns hits / (hits + misses), or 0 before the first lookup. */
  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}
