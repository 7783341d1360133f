package dev.colloquy.memory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.CorruptConversationException;
import dev.colloquy.core.memory.TurnRecord;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.memory.jdbc.TestDatabases.Kind;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows damaged behind the store's back, written with plain JDBC: the conversation that holds one is
 * a {@link CorruptConversationException} naming it, the row and the field; every other conversation
 * keeps loading and saving.
 */
class CorruptRowTest {

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  private record Setup(DataSource db, JdbcMemoryStore store) {}

  private static Setup setUp(Kind kind) {
    DataSource db = kind.fresh("corrupt");
    JdbcMemoryStore store = JdbcMemoryStore.builder().dataSource(db).build();
    for (String id : List.of("healthy", "damaged")) {
      store.save(
          new ConversationUpdate(
              id,
              0,
              "bank",
              List.of(
                  Message.system("Be brief."), Message.user("Balance?"), Message.assistant("42")),
              List.of(new TurnRecord("bank", "m-1", new TokenUsage(5, 1), AT))));
    }
    return new Setup(db, store);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anUnknownKindNamesTheConversationRowAndField(Kind kind) throws SQLException {
    Setup s = setUp(kind);
    MigrationTest.execute(
        s.db(),
        "UPDATE colloquy_message SET kind = 'image', body = '{\"kind\":\"image\",\"text\":\"x\"}'"
            + " WHERE conversation_id = 'damaged' AND position = 1");

    assertThatThrownBy(() -> s.store().load("damaged"))
        .isInstanceOf(CorruptConversationException.class)
        .hasMessageContaining("conversation 'damaged'")
        .hasMessageContaining("row position 1 of colloquy_message, field body")
        .hasMessageContaining("unknown message kind 'image'");
    assertHealthyStillWorks(s);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void brokenJsonNamesTheConversationRowAndField(Kind kind) throws SQLException {
    Setup s = setUp(kind);
    MigrationTest.execute(
        s.db(),
        "UPDATE colloquy_message SET body = '{\"kind\":\"user\",\"text\":' WHERE conversation_id ="
            + " 'damaged' AND position = 2");

    assertThatThrownBy(() -> s.store().load("damaged"))
        .isInstanceOf(CorruptConversationException.class)
        .hasMessageContaining("row position 2 of colloquy_message, field body: broken JSON")
        .satisfies(
            e ->
                assertThat(((CorruptConversationException) e).conversationId())
                    .isEqualTo("damaged"));
    assertHealthyStillWorks(s);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aKindColumnThatContradictsTheBodyIsCaught(Kind kind) throws SQLException {
    Setup s = setUp(kind);
    MigrationTest.execute(
        s.db(),
        "UPDATE colloquy_message SET kind = 'assistant' WHERE conversation_id = 'damaged' AND"
            + " position = 1");

    assertThatThrownBy(() -> s.store().load("damaged"))
        .isInstanceOf(CorruptConversationException.class)
        .hasMessageContaining("row position 1 of colloquy_message, field kind: 'assistant'");
    assertHealthyStillWorks(s);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aMissingMessageRowIsCaughtByTheCount(Kind kind) throws SQLException {
    Setup s = setUp(kind);
    MigrationTest.execute(
        s.db(), "DELETE FROM colloquy_message WHERE conversation_id = 'damaged' AND position = 2");

    assertThatThrownBy(() -> s.store().load("damaged"))
        .isInstanceOf(CorruptConversationException.class)
        .hasMessageContaining("2 rows in colloquy_message")
        .hasMessageContaining("message_count = 3");
    assertHealthyStillWorks(s);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aBadTurnRowNamesItsField(Kind kind) throws SQLException {
    Setup s = setUp(kind);
    MigrationTest.execute(
        s.db(), "UPDATE colloquy_turn SET input_tokens = -3 WHERE conversation_id = 'damaged'");

    assertThatThrownBy(() -> s.store().load("damaged"))
        .isInstanceOf(CorruptConversationException.class)
        .hasMessageContaining("row position 0 of colloquy_turn")
        .hasMessageContaining("token counts must not be negative");
    assertHealthyStillWorks(s);
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = "SQLITE")
  void anUnreadableTimeNamesItsField(Kind kind) throws SQLException {
    Setup s = setUp(kind);
    MigrationTest.execute(
        s.db(),
        "UPDATE colloquy_turn SET committed_at = 'yesterday' WHERE conversation_id = 'damaged'");

    assertThatThrownBy(() -> s.store().load("damaged"))
        .isInstanceOf(CorruptConversationException.class)
        .hasMessageContaining("row position 0 of colloquy_turn, field committed_at: not a time");
    assertHealthyStillWorks(s);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aCorruptConversationCanStillBeDeleted(Kind kind) throws SQLException {
    Setup s = setUp(kind);
    MigrationTest.execute(s.db(), "UPDATE colloquy_message SET body = 'not json'");

    assertThat(s.store().delete("damaged")).isTrue();

    assertThat(s.store().load("damaged").exists()).isFalse();
  }

  private static void assertHealthyStillWorks(Setup s) {
    ChatMemory memory = ChatMemory.window(10, s.store());
    memory.commit("healthy", List.of(Message.user("And now?"), Message.assistant("41")));
    assertThat(s.store().load("healthy").messages()).hasSize(5);
    assertThat(s.store().list("bank")).hasSize(2);
    s.store().close();
  }
}
