package dev.colloquy.memory.jdbc;

import dev.colloquy.core.memory.MemoryStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The store's schema, created and migrated by Flyway from the versioned scripts under {@code
 * db/colloquy-memory-jdbc/<database>/} with a history table of its own ({@code
 * <prefix>schema_history}), so it never mixes with an application's own Flyway history.
 *
 * <p>The scripts are listed here rather than found by scanning the class path: that works the same
 * on the module path, in a fat jar and in a native image, and costs no scan at start-up. Add a
 * script to the folders and to {@link #SCRIPTS}; never change one that was released.
 */
final class SchemaMigrations {

  /** Every migration, oldest first; the same names in each database's folder. */
  static final List<String> SCRIPTS = List.of("V1__conversations_messages_turns.sql");

  /** The tables the store uses, without the prefix. */
  static final List<String> TABLES = List.of("conversation", "message", "turn");

  private static final int ATTEMPTS = 3;

  private SchemaMigrations() {}

  /** Returns the name of the store's Flyway history table. */
  static String historyTable(String prefix) {
    return prefix + "schema_history";
  }

  /**
   * Brings the schema to the latest version; a no-op when it is there.
   *
   * @return how many scripts ran
   * @throws MemoryStoreException when the database refuses a script or cannot be reached
   */
  static int migrate(DataSource dataSource, Dialect dialect, String prefix) {
    Flyway flyway =
        Flyway.configure(SchemaMigrations.class.getClassLoader())
            .dataSource(dataSource)
            .table(historyTable(prefix))
            .resourceProvider(new Scripts(dialect))
            .javaMigrationClassProvider(List::<Class<? extends JavaMigration>>of)
            .placeholders(Map.of("prefix", prefix))
            // The application's own tables may share the schema: start our history at 0 there.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .baselineDescription("no Colloquy memory tables yet")
            .cleanDisabled(true)
            .load();
    for (int attempt = 1; ; attempt++) {
      try {
        MigrateResult result = flyway.migrate();
        return result.migrationsExecuted;
      } catch (FlywayException e) {
        // Two instances starting at once on SQLite (which Flyway cannot lock) can both try to
        // create the history table; the second then finds the first one's work on a new try.
        if (attempt >= ATTEMPTS) {
          throw new MemoryStoreException(
              "could not migrate the memory tables ("
                  + dialect.productName()
                  + ", history table "
                  + historyTable(prefix)
                  + "): "
                  + SqlFailures.redact(e.getMessage()),
              SqlFailures.sanitized(e));
        }
        pause(attempt);
      }
    }
  }

  /**
   * Checks that the store's tables are there, for a store that does not migrate by itself.
   *
   * @throws IllegalStateException naming the first missing table and what to do
   */
  static void requireTables(Connection connection, String prefix) throws SQLException {
    for (String table : TABLES) {
      try (Statement s = connection.createStatement()) {
        s.executeQuery("SELECT * FROM " + prefix + table + " WHERE 1 = 0").close();
      } catch (SQLException e) {
        throw new IllegalStateException(
            "the memory table "
                + prefix
                + table
                + " is missing or unreadable ("
                + SqlFailures.describe(e)
                + "); run the migrations (docs/persistence.md) or build the store with"
                + " migrateOnStart(true)",
            SqlFailures.sanitized(e));
      } finally {
        // PostgreSQL aborts the rest of a transaction after an error; this check runs outside one.
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
      }
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(100L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemoryStoreException("interrupted while migrating the memory tables", e);
    }
  }

  /** The scripts of one database, read from this module's resources. */
  private static final class Scripts implements ResourceProvider {
    private final Dialect dialect;

    Scripts(Dialect dialect) {
      this.dialect = dialect;
    }

    @Override
    public LoadableResource getResource(String name) {
      return SCRIPTS.contains(name) ? new Script(dialect.migrationFolder(), name) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
      List<LoadableResource> found = new ArrayList<>();
      for (String name : SCRIPTS) {
        for (String suffix : suffixes) {
          if (name.startsWith(prefix) && name.endsWith(suffix)) {
            found.add(new Script(dialect.migrationFolder(), name));
            break;
          }
        }
      }
      return found;
    }
  }

  /** One script; read each time Flyway asks, as Flyway's own resources are. */
  private static final class Script extends LoadableResource {
    private final String path;
    private final String name;

    Script(String folder, String name) {
      this.path = folder + "/" + name;
      this.name = name;
    }

    @Override
    public Reader read() {
      InputStream in = SchemaMigrations.class.getResourceAsStream("/" + path);
      if (in == null) {
        throw new UncheckedIOException(
            new IOException("the migration " + path + " is missing from colloquy-memory-jdbc"));
      }
      return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    @Override
    public String getAbsolutePath() {
      return path;
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return path;
    }

    @Override
    public String getFilename() {
      return name;
    }

    @Override
    public String getRelativePath() {
      return name;
    }
  }
}
