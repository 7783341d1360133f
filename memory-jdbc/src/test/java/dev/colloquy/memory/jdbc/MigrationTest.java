package dev.colloquy.memory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.message.Message;
import dev.colloquy.memory.jdbc.TestDatabases.Kind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The schema's migrations on a fresh database of each kind, and beside an application's own. */
class MigrationTest {

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aFreshDatabaseGetsTheTablesAndItsOwnHistoryTable(Kind kind) throws SQLException {
    DataSource db = kind.fresh("fresh");

    JdbcMemoryStore.builder().dataSource(db).build().close();

    assertThat(history(db, "colloquy_schema_history"))
        .containsExactly(
            "1 conversations messages turns V1__conversations_messages_turns.sql true");
    assertThat(tableExists(db, "flyway_schema_history")).isFalse();
    for (String table : List.of("colloquy_conversation", "colloquy_message", "colloquy_turn")) {
      assertThat(tableExists(db, table)).as(table).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void migratingAgainIsANoOpAndKeepsTheData(Kind kind) throws SQLException {
    DataSource db = kind.fresh("again");
    try (JdbcMemoryStore first = JdbcMemoryStore.builder().dataSource(db).build()) {
      first.save(new ConversationUpdate("c", 0, "t", List.of(Message.user("kept")), List.of()));
    }
    List<String> before = historyWithTimes(db);

    try (JdbcMemoryStore second = JdbcMemoryStore.builder().dataSource(db).build()) {
      assertThat(second.load("c").messages()).containsExactly(Message.user("kept"));
    }

    assertThat(historyWithTimes(db)).isEqualTo(before).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anApplicationsOwnTablesAndFlywayHistoryAreLeftAlone(Kind kind) throws SQLException {
    DataSource db = kind.fresh("beside");
    execute(
        db,
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, item VARCHAR(20))",
        "INSERT INTO orders VALUES (1, 'tea')",
        "CREATE TABLE flyway_schema_history (installed_rank INTEGER PRIMARY KEY, version"
            + " VARCHAR(50))",
        "INSERT INTO flyway_schema_history VALUES (1, '7')");

    JdbcMemoryStore.builder().dataSource(db).build().close();

    // Our history starts with a baseline at 0 in a schema that already held tables.
    assertThat(history(db, "colloquy_schema_history"))
        .containsExactly(
            "0 no Colloquy memory tables yet no Colloquy memory tables yet true",
            "1 conversations messages turns V1__conversations_messages_turns.sql true");
    assertThat(query(db, "SELECT item FROM orders")).containsExactly("tea");
    assertThat(query(db, "SELECT version FROM flyway_schema_history")).containsExactly("7");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aTablePrefixNamesTheTablesAndTheHistoryTable(Kind kind) throws SQLException {
    DataSource db = kind.fresh("prefix");

    try (JdbcMemoryStore store =
        JdbcMemoryStore.builder().dataSource(db).tablePrefix("bank_").build()) {
      store.save(new ConversationUpdate("c", 0, "t", List.of(Message.user("x")), List.of()));
    }

    assertThat(tableExists(db, "bank_schema_history")).isTrue();
    assertThat(query(db, "SELECT id FROM bank_conversation")).containsExactly("c");
    assertThat(tableExists(db, "colloquy_conversation")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void withoutMigrationsAMissingTableIsNamedAtBuild(Kind kind) throws SQLException {
    DataSource db = kind.fresh("nomigrate");

    assertThatThrownBy(() -> JdbcMemoryStore.builder().dataSource(db).migrateOnStart(false).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("colloquy_conversation is missing")
        .hasMessageContaining("migrateOnStart(true)");

    JdbcMemoryStore.builder().dataSource(db).build().close();
    try (JdbcMemoryStore store =
        JdbcMemoryStore.builder().dataSource(db).migrateOnStart(false).build()) {
      assertThat(store.load("none").exists()).isFalse();
    }
  }

  private static List<String> history(DataSource db, String table) throws SQLException {
    return query(
        db,
        "SELECT version, description, script, success FROM " + table + " ORDER BY installed_rank");
  }

  private static List<String> historyWithTimes(DataSource db) throws SQLException {
    return query(
        db,
        "SELECT version, checksum, installed_on FROM colloquy_schema_history"
            + " ORDER BY installed_rank");
  }

  static List<String> query(DataSource db, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      int columns = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          Object value = r.getObject(i);
          // SQLite keeps booleans as 0 and 1.
          values.add(
              value instanceof Integer n && r.getMetaData().getColumnName(i).equals("success")
                  ? String.valueOf(n == 1)
                  : String.valueOf(value));
        }
        rows.add(String.join(" ", values));
      }
    }
    return rows;
  }

  static void execute(DataSource db, String... statements) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static boolean tableExists(DataSource db, String table) throws SQLException {
    try (Connection c = db.getConnection();
        ResultSet r = c.getMetaData().getTables(null, null, table, null)) {
      return r.next();
    }
  }
}
