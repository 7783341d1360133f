package dev.colloquy.test.contract;

import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;

class InMemoryStoreContractTest extends MemoryStoreContract {

  private final InMemoryStore store = InMemoryStore.create();

  @Override
  protected MemoryStore store() {
    return store;
  }
}
