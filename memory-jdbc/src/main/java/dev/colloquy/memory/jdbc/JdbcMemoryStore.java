package dev.colloquy.memory.jdbc;

import dev.colloquy.core.memory.ConversationInfo;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.MemoryConflictException;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.memory.MemoryStoreException;
import dev.colloquy.core.memory.StoredConversation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link MemoryStore} in a relational database over JDBC: PostgreSQL (the reference), or an
 * embedded SQLite file ({@link #sqlite(Path)}, the zero-setup default).
 *
 * <p>Three tables (docs/persistence.md shows their DDL): {@code colloquy_conversation} (one row per
 * conversation: tenant, version, times), {@code colloquy_message} (one row per message in the
 * window: its kind and its {@link dev.colloquy.core.memory.MessageCodec JSON}) and {@code
 * colloquy_turn} (one row per turn record: tenant, model, tokens, time). They are created and
 * migrated on {@link Builder#build()} by Flyway, with a history table of their own ({@code
 * colloquy_schema_history}).
 *
 * <p>A {@link #save} is one transaction: a compare-and-set on the conversation's version ({@code
 * UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?}, or an insert for a new one),
 * then the changed message and turn rows; the loser of a race gets a {@link
 * MemoryConflictException} and writes nothing. A {@link #load} reads one version whole. Several
 * application instances may share the database. Times are kept to the microsecond.
 *
 * <p>Connections come from the {@link DataSource} the application gives (with its pool); the store
 * takes one per operation and gives it back before returning. Thread-safe.
 */
public final class JdbcMemoryStore implements MemoryStore, AutoCloseable {

  /** The default prefix of the store's table names. */
  public static final String DEFAULT_TABLE_PREFIX = "colloquy_";

  /** How long the SQLite file's connections wait for another one's write lock. */
  static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,23}");
  private static final int MAX_NAME_LENGTH = 255;

  // The SQLite file's connections when the store opened the file itself; null for a data source.
  private final SqliteFile owned;
  private final Dialect dialect;
  private final Transactions transactions;
  private final ConversationRows rows;
  private final Clock clock;
  private final Duration expireAfterIdle;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcMemoryStore(
      DataSource dataSource,
      SqliteFile owned,
      Dialect dialect,
      String prefix,
      Clock clock,
      Duration expiry) {
    this.owned = owned;
    this.dialect = dialect;
    this.transactions = new Transactions(dataSource, dialect, SQLITE_BUSY_TIMEOUT);
    this.rows = new ConversationRows(dialect, prefix, expiry != null);
    this.clock = clock;
    this.expireAfterIdle = expiry;
  }

  /**
   * Returns a store in a SQLite file, created with its tables if absent: write-ahead log, {@code
   * synchronous=FULL} (a save is on disk when it returns), a 10 s wait for another connection's
   * write lock. Several stores, in this JVM or others, may open the same file.
   *
   * @param file the database file; its folder must exist
   * @throws MemoryStoreException when the file cannot be opened or migrated
   */
  public static JdbcMemoryStore sqlite(Path file) {
    return builder().sqliteFile(file).build();
  }

  /** Returns a builder; set {@link Builder#dataSource} or {@link Builder#sqliteFile}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public StoredConversation load(String conversationId) {
    checkId(conversationId);
    Instant cutoff = cutoff();
    return run(
        "load conversation '" + conversationId + "'",
        false,
        c -> rows.load(c, conversationId, cutoff));
  }

  @Override
  public long save(ConversationUpdate update) {
    Objects.requireNonNull(update, "update");
    checkName("conversationId", update.conversationId());
    checkName("tenant", update.tenant());
    update.turns().forEach(t -> checkName("a turn record's modelId", t.modelId()));
    update.turns().forEach(t -> checkName("a turn record's tenant", t.tenant()));
    Instant now = Dialect.stored(clock.instant());
    Instant cutoff = cutoff();
    return run(
        "save conversation '" + update.conversationId() + "'",
        true,
        c -> rows.save(c, update, now, cutoff));
  }

  @Override
  public boolean delete(String conversationId) {
    checkId(conversationId);
    return run(
            "delete conversation '" + conversationId + "'",
            true,
            c -> rows.deleteWhere(c, "id = ?", conversationId))
        > 0;
  }

  @Override
  public List<ConversationInfo> list(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    Instant cutoff = cutoff();
    return run(
        "list the conversations of tenant '" + tenant + "'",
        false,
        c -> rows.list(c, tenant, cutoff));
  }

  @Override
  public int deleteTenant(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return sweep("delete the conversations of tenant '" + tenant + "'", "tenant = ?", tenant);
  }

  @Override
  public int deleteIdleSince(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    Instant kept = Dialect.stored(cutoff);
    return sweep("delete the conversations idle since " + kept, "updated_at < ?", kept);
  }

  // Batch by batch, each its own transaction, so that no lock is held for long.
  private int sweep(String operation, String where, Object value) {
    int total = 0;
    while (true) {
      int deleted = run(operation, true, c -> rows.deleteWhere(c, where, value));
      total += deleted;
      if (deleted < ConversationRows.DELETE_BATCH) {
        return total;
      }
    }
  }

  /**
   * Closes the store: later calls throw {@link IllegalStateException}. A data source given to the
   * builder stays open (it is the application's); a SQLite file opened by the store has its
   * connections closed.
   *
   * @throws MemoryStoreException when the SQLite file's connections fail to close
   */
  @Override
  public void close() {
    if (closed.getAndSet(true) || owned == null) {
      return;
    }
    try {
      owned.close();
    } catch (SQLException e) {
      throw new MemoryStoreException(
          "could not close the SQLite file of the memory store (" + SqlFailures.describe(e) + ")",
          SqlFailures.sanitized(e));
    }
  }

  @Override
  public String toString() {
    return "JdbcMemoryStore[" + dialect.productName() + "]";
  }

  private <T> T run(String operation, boolean write, Transactions.Work<T> work) {
    if (closed.get()) {
      throw new IllegalStateException("the JDBC memory store is closed; cannot " + operation);
    }
    return transactions.run(operation, write, work);
  }

  private Instant cutoff() {
    return expireAfterIdle == null ? null : Dialect.stored(clock.instant().minus(expireAfterIdle));
  }

  private static void checkId(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId");
  }

  // The columns are VARCHAR(255) on PostgreSQL, which also refuses the NUL character in text.
  private static void checkName(String field, String value) {
    if (value.codePointCount(0, value.length()) > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          field + " must be at most " + MAX_NAME_LENGTH + " characters, was " + value.length());
    }
    if (value.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException(field + " must not contain the NUL character");
    }
  }

  /**
   * Builds a {@link JdbcMemoryStore}. Each setting may be set once; {@link #build()} leaves the
   * builder unchanged.
   */
  public static final class Builder {
    private DataSource dataSource;
    private Path sqliteFile;
    private String tablePrefix = DEFAULT_TABLE_PREFIX;
    private boolean prefixSet;
    private Clock clock = Clock.systemUTC();
    private boolean clockSet;
    private Duration expireAfterIdle;
    private boolean migrateOnStart = true;
    private boolean migrateSet;

    private Builder() {}

    /**
     * Sets the database: a PostgreSQL or SQLite data source, usually a connection pool, that the
     * application owns and closes. Either this or {@link #sqliteFile}.
     */
    public Builder dataSource(DataSource value) {
      Objects.requireNonNull(value, "dataSource");
      requireNoDatabase("dataSource");
      dataSource = value;
      return this;
    }

    /**
     * Sets the database to a SQLite file, opened as {@link JdbcMemoryStore#sqlite(Path)} opens it.
     * Either this or {@link #dataSource}.
     *
     * @param value the database file; its folder must exist
     */
    public Builder sqliteFile(Path value) {
      Objects.requireNonNull(value, "sqliteFile");
      requireNoDatabase("sqliteFile");
      Path absolute = value.toAbsolutePath();
      if (absolute.getParent() == null || !Files.isDirectory(absolute.getParent())) {
        throw new IllegalArgumentException(
            "sqliteFile's folder does not exist: " + absolute.getParent());
      }
      if (Files.isDirectory(absolute)) {
        throw new IllegalArgumentException("sqliteFile is a folder, not a file: " + absolute);
      }
      if (absolute.toString().indexOf('?') >= 0) {
        throw new IllegalArgumentException("sqliteFile must not contain '?': " + absolute);
      }
      sqliteFile = absolute;
      return this;
    }

    /**
     * Sets the prefix of the table names: a lower-case letter, then up to 23 lower-case letters,
     * digits or underscores (default {@value JdbcMemoryStore#DEFAULT_TABLE_PREFIX}: tables {@code
     * colloquy_conversation}, {@code colloquy_message}, {@code colloquy_turn}, and the history
     * table {@code colloquy_schema_history}).
     */
    public Builder tablePrefix(String value) {
      Objects.requireNonNull(value, "tablePrefix");
      if (prefixSet) {
        throw new IllegalStateException("tablePrefix was already set to " + tablePrefix);
      }
      if (!PREFIX.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "tablePrefix must be a lower-case letter followed by up to 23 lower-case letters,"
                + " digits or underscores, was '"
                + value
                + "'");
      }
      tablePrefix = value;
      prefixSet = true;
      return this;
    }

    /** Sets the clock that stamps saves and decides expiry (default: the system clock in UTC). */
    public Builder clock(Clock value) {
      Objects.requireNonNull(value, "clock");
      if (clockSet) {
        throw new IllegalStateException("clock was already set to " + clock);
      }
      clock = value;
      clockSet = true;
      return this;
    }

    /**
     * Sets after how long without a save a conversation counts as absent: loads and lists skip it,
     * and the next save starts it afresh (default: never). The rows stay until {@link
     * JdbcMemoryStore#deleteIdleSince} sweeps them; schedule it to reclaim the space.
     *
     * @param value positive
     */
    public Builder expireAfterIdle(Duration value) {
      Objects.requireNonNull(value, "expireAfterIdle");
      if (expireAfterIdle != null) {
        throw new IllegalStateException("expireAfterIdle was already set to " + expireAfterIdle);
      }
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("expireAfterIdle must be positive, was " + value);
      }
      expireAfterIdle = value;
      return this;
    }

    /**
     * Sets whether {@link #build()} creates and migrates the tables (default true). Without it, the
     * tables must be there (docs/persistence.md shows how to run the migrations yourself), and
     * {@link #build()} checks that they are.
     */
    public Builder migrateOnStart(boolean value) {
      if (migrateSet) {
        throw new IllegalStateException("migrateOnStart was already set to " + migrateOnStart);
      }
      migrateOnStart = value;
      migrateSet = true;
      return this;
    }

    /**
     * Returns a new store: connects once to learn the database, then migrates or checks the tables.
     *
     * @throws IllegalStateException when no database was set, or a table is missing without
     *     migrateOnStart
     * @throws IllegalArgumentException when the database is neither PostgreSQL nor SQLite
     * @throws MemoryStoreException when the database cannot be reached or migrated
     */
    public JdbcMemoryStore build() {
      if (dataSource == null && sqliteFile == null) {
        throw new IllegalStateException("set dataSource or sqliteFile before build()");
      }
      SqliteFile owned =
          sqliteFile == null
              ? null
              : new SqliteFile(sqliteFile, (int) SQLITE_BUSY_TIMEOUT.toMillis());
      DataSource source = owned == null ? dataSource : owned;
      try {
        Dialect dialect = start(source);
        return new JdbcMemoryStore(source, owned, dialect, tablePrefix, clock, expireAfterIdle);
      } catch (RuntimeException e) {
        if (owned != null) {
          try {
            owned.close();
          } catch (SQLException closing) {
            e.addSuppressed(closing);
          }
        }
        throw e;
      }
    }

    // Connects once to learn the database, then migrates or checks the tables.
    private Dialect start(DataSource source) {
      Dialect dialect;
      try (Connection c = source.getConnection()) {
        dialect = Dialect.of(c);
        if (!migrateOnStart) {
          SchemaMigrations.requireTables(c, tablePrefix);
        }
      } catch (SQLException e) {
        throw new MemoryStoreException(
            "could not connect to the memory database"
                + (sqliteFile == null ? "" : " " + sqliteFile.toAbsolutePath())
                + " ("
                + SqlFailures.describe(e)
                + ")",
            SqlFailures.sanitized(e));
      }
      if (migrateOnStart) {
        SchemaMigrations.migrate(source, dialect, tablePrefix);
      }
      return dialect;
    }

    private void requireNoDatabase(String setting) {
      if (dataSource != null) {
        throw new IllegalStateException(
            "the database was already set by dataSource; cannot also set " + setting);
      }
      if (sqliteFile != null) {
        throw new IllegalStateException(
            "the database was already set by sqliteFile("
                + sqliteFile
                + "); cannot set "
                + setting);
      }
    }
  }
}
