package dev.colloquy.memory.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.test.contract.MemoryStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The memory store contract on a real PostgreSQL server: two store instances, each on a connection
 * pool of its own, stand for two instances of an application.
 */
class PostgresMemoryStoreContractTest extends MemoryStoreContract {

  private static HikariDataSource poolOne;
  private static HikariDataSource poolTwo;
  private static JdbcMemoryStore one;
  private static JdbcMemoryStore two;

  @BeforeAll
  static void startInstances() {
    String database = TestDatabases.newPostgresDatabase("contract");
    poolOne = TestDatabases.pool(database, 8);
    poolTwo = TestDatabases.pool(database, 8);
    one = JdbcMemoryStore.builder().dataSource(poolOne).build();
    two = JdbcMemoryStore.builder().dataSource(poolTwo).build();
  }

  @AfterAll
  static void stopInstances() {
    one.close();
    two.close();
    poolOne.close();
    poolTwo.close();
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
