package dev.colloquy.memory.jdbc;

import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.test.contract.MemoryStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The memory store contract on a SQLite file that two store instances open. */
class SqliteMemoryStoreContractTest extends MemoryStoreContract {

  private static JdbcMemoryStore one;
  private static JdbcMemoryStore two;

  @BeforeAll
  static void openInstances() {
    var file = TestDatabases.newSqliteFile("contract");
    one = JdbcMemoryStore.sqlite(file);
    two = JdbcMemoryStore.sqlite(file);
  }

  @AfterAll
  static void closeInstances() {
    one.close();
    two.close();
  }

  @Override
  protected MemoryStore store() {
    return one;
  }

  @Override
  protected MemoryStore otherInstance() {
    return two;
  }
}
