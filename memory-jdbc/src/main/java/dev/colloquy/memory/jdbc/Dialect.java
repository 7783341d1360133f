package dev.colloquy.memory.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** What differs between the two databases the store supports: transactions, times, migrations. */
enum Dialect {

  /** The reference database: row locks, MVCC snapshots, {@code timestamptz}. */
  POSTGRESQL("PostgreSQL", "postgresql") {
    @Override
    void begin(Connection connection) throws SQLException {
      // Read committed: the compare-and-set's row lock orders writers; each waits for the one
      // before it and then finds the version changed.
      connection.setAutoCommit(false);
    }

    @Override
    void commit(Connection connection) throws SQLException {
      connection.commit();
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      connection.rollback();
    }

    @Override
    String forUpdate() {
      return " FOR UPDATE";
    }

    @Override
    void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
      statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    Instant getInstant(ResultSet row, String column) throws SQLException {
      OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
      if (value == null) {
        throw new DateTimeParseException("no value", "", 0);
      }
      return value.toInstant();
    }

    @Override
    boolean isBusy(SQLException e) {
      return false;
    }
  },

  /**
   * The embedded file database: one writer at a time, taken at the start of a write ({@code BEGIN
   * IMMEDIATE}) so that a transaction never has to upgrade a read lock, which is where SQLite
   * reports SQLITE_BUSY even with a busy timeout.
   */
  SQLITE("SQLite", "sqlite") {
    @Override
    void begin(Connection connection) throws SQLException {
      // Transactions are begun and ended by statements, whatever the pool's auto-commit default;
      // the driver's own BEGIN is deferred, which is the one that can fail midway.
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      try (Statement s = connection.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
    }

    @Override
    void commit(Connection connection) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute("COMMIT");
      }
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute("ROLLBACK");
      }
    }

    @Override
    String forUpdate() {
      // The writer already holds the database's write lock since BEGIN IMMEDIATE.
      return "";
    }

    @Override
    void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
      statement.setString(index, SQLITE_TIME.format(instant));
    }

    @Override
    Instant getInstant(ResultSet row, String column) throws SQLException {
      String value = row.getString(column);
      if (value == null) {
        throw new DateTimeParseException("no value", "", 0);
      }
      return Instant.parse(value);
    }

    @Override
    boolean isBusy(SQLException e) {
      // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with or without an extended code in the high bits.
      int primary = e.getErrorCode() & 0xff;
      return primary == 5 || primary == 6;
    }
  };

  /** Fixed width, so that times compare as text: 2026-01-02T03:04:05.123456Z. */
  static final DateTimeFormatter SQLITE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final String productName;
  private final String folder;

  Dialect(String productName, String folder) {
    this.productName = productName;
    this.folder = folder;
  }

  /**
   * Returns the dialect of a connection's database.
   *
   * @throws IllegalArgumentException for a database the store does not support
   */
  static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    for (Dialect d : values()) {
      if (d.productName.equalsIgnoreCase(product)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "the JDBC memory store supports PostgreSQL and SQLite; the data source is "
            + product
            + ": use one of those, or implement MemoryStore for it");
  }

  /** Returns the database's name as its driver reports it. */
  String productName() {
    return productName;
  }

  /** Returns the folder of this database's migration scripts. */
  String migrationFolder() {
    return "db/colloquy-memory-jdbc/" + folder;
  }

  /** Starts a write transaction; on SQLite it takes the database's write lock at once. */
  abstract void begin(Connection connection) throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;

  /** Returns the clause that locks the selected rows until the transaction ends. */
  abstract String forUpdate();

  /** Binds a time, to the microsecond (PostgreSQL's resolution, used by both). */
  abstract void setInstant(PreparedStatement statement, int index, Instant instant)
      throws SQLException;

  /**
   * Reads a time.
   *
   * @throws DateTimeParseException when the column holds no valid time
   */
  abstract Instant getInstant(ResultSet row, String column) throws SQLException;

  /** Returns whether a failure means "another connection holds the lock; try again". */
  abstract boolean isBusy(SQLException e);

  /** Returns a time as the store keeps it: to the microsecond. */
  static Instant stored(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }
}
