package dev.colloquy.memory.redis;

import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.test.contract.MemoryStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract of every store, on a real redis-server, across two stores with a client each. */
class RedisMemoryStoreContractTest extends MemoryStoreContract {

  private static RedisServer server;
  private static RedisMemoryStore store;
  private static RedisMemoryStore otherInstance;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
    store = RedisMemoryStore.builder().uri(server.uri()).build();
    otherInstance = RedisMemoryStore.builder().uri(server.uri()).build();
  }

  @AfterAll
  static void stopRedis() {
    try (RedisServer s = server;
        RedisMemoryStore a = store;
        RedisMemoryStore b = otherInstance) {
      // Closed in reverse order: the stores, then the server.
    }
  }

  @Override
  protected MemoryStore store() {
    return store;
  }

  @Override
  protected MemoryStore otherInstance() {
    return otherInstance;
  }
}
