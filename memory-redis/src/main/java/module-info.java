/**
 * Colloquy's Redis memory: a {@code MemoryStore} on Lettuce whose saves are compare-and-sets in
 * Lua.
 */
module dev.colloquy.memory.redis {
  requires transitive dev.colloquy.core;
  // The builder accepts a RedisClient the application owns (its event loops, TLS, options).
  requires transitive lettuce.core;

  exports dev.colloquy.memory.redis;
}
