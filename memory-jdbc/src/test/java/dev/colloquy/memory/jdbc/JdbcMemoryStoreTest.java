package dev.colloquy.memory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.MemoryConflictException;
import dev.colloquy.core.memory.MemoryStoreException;
import dev.colloquy.core.memory.TurnRecord;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.memory.jdbc.TestDatabases.Kind;
import dev.colloquy.test.FakeClock;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteDataSource;

class JdbcMemoryStoreTest {

  @TempDir Path dir;

  @Test
  void aFileThatIsNoSqliteDatabaseIsAnErrorNamingItAndIsLeftAsItWas(@TempDir Path dir)
      throws Exception {
    Path notes = dir.resolve("notes.txt");
    String text = "these are my notes, not a database\n".repeat(100);
    java.nio.file.Files.writeString(notes, text);

    assertThatThrownBy(() -> JdbcMemoryStore.sqlite(notes))
        .isInstanceOf(MemoryStoreException.class)
        .hasMessageContaining(notes.toAbsolutePath().toString())
        .hasMessageContaining("not a database");

    assertThat(java.nio.file.Files.readString(notes)).isEqualTo(text);
  }

  @Test
  void theBuilderRejectsRepeatsConflictsAndBadValuesNamingThem() {
    JdbcMemoryStore.Builder builder = JdbcMemoryStore.builder().sqliteFile(dir.resolve("a.db"));

    assertThatThrownBy(() -> builder.sqliteFile(dir.resolve("b.db")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already set by sqliteFile");
    assertThatThrownBy(() -> builder.dataSource(new SQLiteDataSource()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot set dataSource");
    assertThatThrownBy(() -> builder.tablePrefix("Bad-Prefix"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Bad-Prefix'");
    assertThatThrownBy(() -> builder.expireAfterIdle(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expireAfterIdle must be positive");
    builder.migrateOnStart(true);
    assertThatThrownBy(() -> builder.migrateOnStart(false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("migrateOnStart was already set to true");
    assertThatThrownBy(() -> JdbcMemoryStore.builder().sqliteFile(dir.resolve("no/such/x.db")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("folder does not exist");
    assertThatThrownBy(() -> JdbcMemoryStore.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set dataSource or sqliteFile");
  }

  @Test
  void aClosedStoreRefusesWork() {
    JdbcMemoryStore store = JdbcMemoryStore.sqlite(dir.resolve("closed.db"));
    store.close();

    assertThatThrownBy(() -> store.load("c"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed; cannot load conversation 'c'");
  }

  @Test
  void namesLongerThanTheColumnsOrHoldingNulAreRejectedBeforeTheDatabase() {
    try (JdbcMemoryStore store = JdbcMemoryStore.sqlite(dir.resolve("names.db"))) {
      assertThatThrownBy(() -> store.save(update("x".repeat(256), 0, Message.user("q"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("conversationId must be at most 255 characters");
      assertThatThrownBy(() -> store.save(update("a\u0000b", 0, Message.user("q"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("NUL");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void theWindowDeletesDroppedRowsAndPositionsOnlyGrow(Kind kind) throws SQLException {
    DataSource db = kind.fresh("window");
    try (JdbcMemoryStore store = JdbcMemoryStore.builder().dataSource(db).build()) {
      ChatMemory memory = ChatMemory.builder().store(store).maxMessages(5).build();
      memory.commit("w", List.of(Message.system("rules")));
      for (int t = 0; t < 4; t++) {
        memory.commit("w", List.of(Message.user("q" + t), Message.assistant("a" + t)));
      }

      assertThat(store.load("w").messages())
          .extracting(Message::text)
          .containsExactly("rules", "q2", "a2", "q3", "a3");
    }
    // The system prompt kept its row; the dropped turns' rows are gone; the new ones came after.
    assertThat(MigrationTest.query(db, "SELECT position, kind FROM colloquy_message ORDER BY 1"))
        .containsExactly("0 system", "5 user", "6 assistant", "7 user", "8 assistant");
  }

  @Test
  void timesAreKeptToTheMicrosecond() {
    Instant nanos = Instant.parse("2026-12-06T10:11:12.123456789Z");
    try (JdbcMemoryStore store = JdbcMemoryStore.sqlite(dir.resolve("time.db"))) {
      store.save(
          new ConversationUpdate(
              "t",
              0,
              "bank",
              List.of(Message.user("q")),
              List.of(new TurnRecord("bank", "m", TokenUsage.ZERO, nanos))));

      assertThat(store.load("t").turns().get(0).committedAt())
          .isEqualTo(Instant.parse("2026-12-06T10:11:12.123456Z"));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anIdleConversationExpiresForReadersAndIsReplacedByTheNextSave(Kind kind) {
    FakeClock clock = FakeClock.at(Instant.parse("2026-12-01T00:00:00Z"));
    try (JdbcMemoryStore store =
        JdbcMemoryStore.builder()
            .dataSource(kind.fresh("expiry"))
            .clock(clock)
            .expireAfterIdle(Duration.ofDays(30))
            .build()) {
      store.save(update("old", 0, Message.user("from last year")));
      store.save(update("old", 1, Message.user("from last year"), Message.assistant("yes")));
      clock.advance(Duration.ofDays(29));
      store.save(update("recent", 0, Message.user("hi")));
      clock.advance(Duration.ofDays(2));

      assertThat(store.load("old").exists()).isFalse();
      assertThat(store.load("recent").exists()).isTrue();
      assertThat(store.list("bank")).extracting(i -> i.id()).containsExactly("recent");
      // A writer that read the old version before it expired loses; one that found it absent wins.
      assertThatThrownBy(() -> store.save(update("old", 2, Message.user("late"))))
          .isInstanceOf(MemoryConflictException.class);
      assertThat(store.save(update("old", 0, Message.user("new start")))).isEqualTo(1);
      assertThat(store.load("old").messages()).containsExactly(Message.user("new start"));

      clock.advance(Duration.ofDays(40));
      assertThat(store.deleteIdleSince(clock.instant().minus(Duration.ofDays(30)))).isEqualTo(2);
    }
  }

  @Test
  void aSaveWaitsForAnotherConnectionsSqliteWriteLockInsteadOfFailing() throws Exception {
    Path file = dir.resolve("busy.db");
    // The driver's defaults: no busy timeout, so SQLite itself would answer SQLITE_BUSY at once.
    SQLiteDataSource plain = new SQLiteDataSource();
    plain.setUrl("jdbc:sqlite:" + file);
    try (JdbcMemoryStore store = JdbcMemoryStore.builder().dataSource(plain).build();
        Connection holder = plain.getConnection();
        Statement s = holder.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      long start = System.nanoTime();
      CompletableFuture<Long> save =
          CompletableFuture.supplyAsync(() -> store.save(update("b", 0, Message.user("q"))));
      Thread.sleep(300);
      assertThat(save).isNotDone();
      s.execute("COMMIT");

      assertThat(save.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(300));
    }
  }

  @Test
  void aDriverFailureNamesTheOperationAndHidesTheUrlAndPassword() {
    String secret = "hunter2";
    DataSource failing =
        new FixedDataSource(
            () -> {
              throw new SQLException(
                  "Connection to jdbc:postgresql://db.bank:5432/memory?user=app&password="
                      + secret
                      + " refused; password="
                      + secret,
                  "08001",
                  new SQLException("nested: jdbc:postgresql://db.bank/x?password=" + secret));
            });

    assertThatThrownBy(() -> JdbcMemoryStore.builder().dataSource(failing).build())
        .isInstanceOf(MemoryStoreException.class)
        .hasMessageContaining("SQLState 08001")
        .hasMessageContaining("jdbc:<redacted>")
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).doesNotContain(secret).doesNotContain("db.bank");
              }
            });
  }

  @Test
  void aSqlFailureInAnOperationSaysNothingWasWritten() throws SQLException {
    try (JdbcMemoryStore store = JdbcMemoryStore.sqlite(dir.resolve("gone.db"))) {
      store.save(update("c", 0, Message.user("q")));
      try (Connection c = sqlite(dir.resolve("gone.db")).getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE colloquy_turn");
      } catch (SQLException e) {
        throw new AssertionError(e);
      }

      assertThatThrownBy(() -> store.save(update("c", 1, Message.user("q"), Message.user("r"))))
          .isInstanceOf(MemoryStoreException.class)
          .hasMessageContaining("could not save conversation 'c' in the SQLite memory store")
          .hasMessageContaining("nothing was written");
      assertThatThrownBy(() -> store.load("c"))
          .isInstanceOf(MemoryStoreException.class)
          .hasMessageContaining("could not load conversation 'c'")
          .hasMessageNotContaining("written");
    }
    assertThat(
            MigrationTest.query(
                sqlite(dir.resolve("gone.db")), "SELECT version FROM colloquy_conversation"))
        .containsExactly("1");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void connectionsGoBackWithTheAutoCommitSettingTheyCameWith(Kind kind) throws SQLException {
    DataSource db = kind.fresh("autocommit");
    for (boolean autoCommit : List.of(false, true)) {
      try (Connection real = db.getConnection()) {
        real.setAutoCommit(autoCommit);
        // A pool of one that, unlike HikariCP, does not reset what a borrower changed.
        DataSource poolOfOne =
            new FixedDataSource(
                () ->
                    (Connection)
                        Proxy.newProxyInstance(
                            getClass().getClassLoader(),
                            new Class<?>[] {Connection.class},
                            (proxy, method, args) ->
                                method.getName().equals("close")
                                    ? null
                                    : method.invoke(real, args)));
        try (JdbcMemoryStore store = JdbcMemoryStore.builder().dataSource(poolOfOne).build()) {
          String id = "c-" + autoCommit;
          store.save(update(id, 0, Message.user("q")));
          assertThat(store.load(id).version()).isEqualTo(1);
          assertThatThrownBy(() -> store.save(update(id, 0, Message.user("lost"))))
              .isInstanceOf(MemoryConflictException.class);

          assertThat(real.getAutoCommit())
              .as("auto-commit lent as " + autoCommit)
              .isEqualTo(autoCommit);
        }
        if (!autoCommit) {
          real.rollback();
        }
      }
    }
  }

  @Test
  void aDatabaseOtherThanPostgresqlOrSqliteIsRefusedByName() {
    DataSource mysql =
        new FixedDataSource(
            () ->
                (Connection)
                    Proxy.newProxyInstance(
                        getClass().getClassLoader(),
                        new Class<?>[] {Connection.class},
                        (proxy, method, args) ->
                            switch (method.getName()) {
                              case "getMetaData" ->
                                  Proxy.newProxyInstance(
                                      getClass().getClassLoader(),
                                      new Class<?>[] {DatabaseMetaData.class},
                                      (p, m, a) ->
                                          m.getName().equals("getDatabaseProductName")
                                              ? "MySQL"
                                              : null);
                              case "close" -> null;
                              default ->
                                  throw new SQLFeatureNotSupportedException(method.getName());
                            }));

    assertThatThrownBy(() -> JdbcMemoryStore.builder().dataSource(mysql).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("supports PostgreSQL and SQLite; the data source is MySQL");
  }

  private static SQLiteDataSource sqlite(Path file) {
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + file);
    return source;
  }

  private static ConversationUpdate update(String id, long expected, Message... messages) {
    return new ConversationUpdate(id, expected, "bank", List.of(messages), List.of());
  }

  /** A data source whose connections come from a function: a failing or a foreign database. */
  private static final class FixedDataSource implements DataSource {
    interface Opener {
      Connection open() throws SQLException;
    }

    private final Opener opener;

    FixedDataSource(Opener opener) {
      this.opener = opener;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return opener.open();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return opener.open();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
