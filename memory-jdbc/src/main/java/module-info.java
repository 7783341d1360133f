/**
 * Colloquy's JDBC memory: conversations in PostgreSQL or in an embedded SQLite file, with
 * compare-and-set saves and Flyway-migrated tables.
 */
module dev.colloquy.memory.jdbc {
  requires transitive dev.colloquy.core;
  requires transitive java.sql;
  requires org.xerial.sqlitejdbc;
  // Flyway's jar names no module: its automatic name comes from the file name.
  requires flyway.core;

  exports dev.colloquy.memory.jdbc;
}
