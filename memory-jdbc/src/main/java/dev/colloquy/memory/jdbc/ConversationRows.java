package dev.colloquy.memory.jdbc;

import dev.colloquy.core.memory.ConversationInfo;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.CorruptConversationException;
import dev.colloquy.core.memory.MemoryConflictException;
import dev.colloquy.core.memory.MessageCodec;
import dev.colloquy.core.memory.StoredConversation;
import dev.colloquy.core.memory.TurnRecord;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.TokenUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The store's SQL, on a connection inside a transaction that the caller runs: reading a
 * conversation, the compare-and-set save with its row diff, and deleting conversations with their
 * rows.
 *
 * <p>Invariants: a conversation row's {@code version} changes only through a compare-and-set in the
 * same transaction that rewrites its messages and turns, and {@code message_count} is the number of
 * its message rows. Deletes lock the conversation rows before touching their messages and turns,
 * the same order as a save, so that on PostgreSQL a sweep and a save never deadlock.
 */
final class ConversationRows {

  // A sweep deletes this many conversations per transaction, so it never holds locks for long.
  static final int DELETE_BATCH = 500;

  private final Dialect dialect;
  private final String conversation;
  private final String message;
  private final String turn;
  private final String fresh;
  private final String load;
  private final String keys;

  ConversationRows(Dialect dialect, String prefix, boolean expires) {
    this.dialect = dialect;
    this.conversation = prefix + "conversation";
    this.message = prefix + "message";
    this.turn = prefix + "turn";
    // With expireAfterIdle, a conversation idle since before the cutoff counts as absent.
    this.fresh = expires ? " AND updated_at >= ?" : "";
    // The typed branch comes first in each union, so the NULLs of the others take its types.
    this.load =
        "SELECT 0 AS part, version AS pos, tenant AS text1, CAST(NULL AS TEXT) AS text2,"
            + " message_count AS number1, CAST(NULL AS BIGINT) AS number2, updated_at AS at_time"
            + " FROM "
            + conversation
            + " WHERE id = ?"
            + fresh
            + " UNION ALL SELECT 1, position, kind, body, NULL, NULL, NULL FROM "
            + message
            + " WHERE conversation_id = ?"
            + " UNION ALL SELECT 2, position, tenant, model_id, input_tokens, output_tokens,"
            + " committed_at FROM "
            + turn
            + " WHERE conversation_id = ?"
            + " ORDER BY part, pos";
    this.keys =
        "SELECT 2 AS part, position AS pos, tenant AS text1, model_id AS text2,"
            + " input_tokens AS number1, output_tokens AS number2, committed_at AS at_time FROM "
            + turn
            + " WHERE conversation_id = ?"
            + " UNION ALL SELECT 1, position, NULL, body, NULL, NULL, NULL FROM "
            + message
            + " WHERE conversation_id = ?"
            + " ORDER BY part, pos";
  }

  /**
   * Returns a conversation at one version, or absent; {@code cutoff} is used if it expires.
   *
   * <p>One statement reads the conversation row, its messages and its turns, so that it sees one
   * snapshot without a transaction around it (one round trip instead of five): a reader sees a
   * version whole. Rows come as {@code part} 0 (the conversation), 1 (messages), 2 (turns).
   */
  StoredConversation load(Connection c, String id, Instant cutoff) throws SQLException {
    String tenant = null;
    long version = 0;
    long messageCount = 0;
    Instant updatedAt = null;
    List<Message> messages = new ArrayList<>();
    List<TurnRecord> turns = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(load)) {
      s.setString(1, id);
      bindCutoff(s, 2, cutoff);
      s.setString(fresh.isEmpty() ? 2 : 3, id);
      s.setString(fresh.isEmpty() ? 3 : 4, id);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          switch (row.getInt("part")) {
            case 0 -> {
              tenant = row.getString("text1");
              version = row.getLong("pos");
              messageCount = row.getLong("number1");
              updatedAt = instant(row, "at_time", id, conversation + " row, field updated_at");
            }
            case 1 -> {
              if (tenant == null) {
                // No conversation row (absent or expired): its rows, if any, are not read.
                return StoredConversation.absent(id);
              }
              messages.add(message(id, row.getLong("pos"), row.getString("text1"), row));
            }
            default -> {
              if (tenant == null) {
                return StoredConversation.absent(id);
              }
              turns.add(turnRecord(id, row));
            }
          }
        }
      }
    }
    if (tenant == null) {
      return StoredConversation.absent(id);
    }
    if (messages.size() != messageCount) {
      throw new CorruptConversationException(
          id,
          "it has "
              + messages.size()
              + " rows in "
              + message
              + " but its row in "
              + conversation
              + " says message_count = "
              + messageCount,
          null);
    }
    try {
      return new StoredConversation(id, tenant, version, messages, turns, updatedAt);
    } catch (RuntimeException e) {
      throw new CorruptConversationException(
          id, "its row in " + conversation + " is invalid: " + e.getMessage(), e);
    }
  }

  private Message message(String id, long position, String kind, ResultSet row)
      throws SQLException {
    String where = "row position " + position + " of " + message;
    String body = row.getString("text2");
    if (body == null) {
      throw new CorruptConversationException(id, where + ", field body: null", null);
    }
    Message parsed;
    try {
      parsed = MessageCodec.read(body);
    } catch (IllegalArgumentException e) {
      throw new CorruptConversationException(id, where + ", field body: " + e.getMessage(), e);
    }
    if (!kindOf(parsed).equals(kind)) {
      throw new CorruptConversationException(
          id,
          where
              + ", field kind: '"
              + kind
              + "' does not match the body's kind '"
              + kindOf(parsed)
              + "'",
          null);
    }
    return parsed;
  }

  private TurnRecord turnRecord(String id, ResultSet row) throws SQLException {
    long position = row.getLong("pos");
    String where = "row position " + position + " of " + turn;
    Instant committedAt = instant(row, "at_time", id, where + ", field committed_at");
    try {
      return new TurnRecord(
          row.getString("text1"),
          row.getString("text2"),
          new TokenUsage(row.getLong("number1"), row.getLong("number2")),
          committedAt);
    } catch (RuntimeException e) {
      throw new CorruptConversationException(id, where + ": " + e.getMessage(), e);
    }
  }

  private Instant instant(ResultSet row, String column, String id, String where)
      throws SQLException {
    try {
      return dialect.getInstant(row, column);
    } catch (DateTimeException e) {
      throw new CorruptConversationException(id, where + ": not a time", e);
    }
  }

  /**
   * Applies a compare-and-set: writes the update if the conversation is at the expected version.
   *
   * @param now the save's time, to the microsecond
   * @param cutoff conversations idle since before it count as absent (if the store expires them)
   * @return the new version
   * @throws MemoryConflictException when the conversation is not at the expected version; the
   *     caller rolls back
   */
  long save(Connection c, ConversationUpdate update, Instant now, Instant cutoff)
      throws SQLException {
    String id = update.conversationId();
    long expected = update.expectedVersion();
    List<Long> oldMessagePositions = new ArrayList<>();
    List<String> oldMessages = new ArrayList<>();
    List<Long> oldTurnPositions = new ArrayList<>();
    List<String> oldTurns = new ArrayList<>();
    if (expected == 0) {
      if (!fresh.isEmpty()) {
        // An expired conversation is absent to readers; the writer who found it so replaces it.
        deleteWhere(c, "id = ? AND updated_at < ?", id, cutoff);
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO "
                  + conversation
                  + " (id, tenant, version, message_count, created_at, updated_at)"
                  + " VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
        s.setString(1, id);
        s.setString(2, update.tenant());
        s.setInt(3, update.messages().size());
        dialect.setInstant(s, 4, now);
        dialect.setInstant(s, 5, now);
        if (s.executeUpdate() != 1) {
          throw new MemoryConflictException(id, expected);
        }
      }
    } else {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE "
                  + conversation
                  + " SET version = version + 1, message_count = ?, updated_at = ?"
                  + " WHERE id = ? AND version = ?"
                  + fresh)) {
        s.setInt(1, update.messages().size());
        dialect.setInstant(s, 2, now);
        s.setString(3, id);
        s.setLong(4, expected);
        bindCutoff(s, 5, cutoff);
        if (s.executeUpdate() != 1) {
          throw new MemoryConflictException(id, expected);
        }
      }
      // The row is ours until commit: its rows are those of the expected version.
      readKeys(c, id, oldMessagePositions, oldMessages, oldTurnPositions, oldTurns);
    }
    List<String> bodies = new ArrayList<>(update.messages().size());
    List<String> kinds = new ArrayList<>(update.messages().size());
    for (Message m : update.messages()) {
      bodies.add(MessageCodec.write(m));
      kinds.add(kindOf(m));
    }
    RowDiff messages = RowDiff.plan(oldMessagePositions, oldMessages, bodies);
    deleteRange(c, message, id, messages);
    if (messages.insertFrom() < bodies.size()) {
      insertMessages(c, id, messages, bodies, kinds);
    }
    List<TurnRecord> turnRecords = new ArrayList<>(update.turns().size());
    List<String> turnKeys = new ArrayList<>(update.turns().size());
    for (TurnRecord t : update.turns()) {
      TurnRecord kept =
          new TurnRecord(t.tenant(), t.modelId(), t.usage(), Dialect.stored(t.committedAt()));
      turnRecords.add(kept);
      turnKeys.add(turnKey(kept));
    }
    RowDiff turns = RowDiff.plan(oldTurnPositions, oldTurns, turnKeys);
    deleteRange(c, turn, id, turns);
    if (turns.insertFrom() < turnRecords.size()) {
      insertTurns(c, id, turns, turnRecords);
    }
    return expected + 1;
  }

  private void insertMessages(
      Connection c, String id, RowDiff diff, List<String> bodies, List<String> kinds)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + message
                + " (conversation_id, position, kind, body) VALUES (?, ?, ?, ?)")) {
      long position = diff.firstPosition();
      for (int i = diff.insertFrom(); i < bodies.size(); i++) {
        s.setString(1, id);
        s.setLong(2, position++);
        s.setString(3, kinds.get(i));
        s.setString(4, bodies.get(i));
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private void insertTurns(Connection c, String id, RowDiff diff, List<TurnRecord> records)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + turn
                + " (conversation_id, position, tenant, model_id, input_tokens, output_tokens,"
                + " committed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      long position = diff.firstPosition();
      for (int i = diff.insertFrom(); i < records.size(); i++) {
        TurnRecord t = records.get(i);
        s.setString(1, id);
        s.setLong(2, position++);
        s.setString(3, t.tenant());
        s.setString(4, t.modelId());
        s.setLong(5, t.usage().inputTokens());
        s.setLong(6, t.usage().outputTokens());
        dialect.setInstant(s, 7, t.committedAt());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  // A message row's key is its body; a turn row's key is its columns, as turnKey writes them.
  private void readKeys(
      Connection c,
      String id,
      List<Long> messagePositions,
      List<String> messageKeys,
      List<Long> turnPositions,
      List<String> turnKeys)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(keys)) {
      s.setString(1, id);
      s.setString(2, id);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          if (row.getInt("part") == 1) {
            messagePositions.add(row.getLong("pos"));
            messageKeys.add(row.getString("text2"));
          } else {
            turnPositions.add(row.getLong("pos"));
            turnKeys.add(turnKey(row));
          }
        }
      }
    }
  }

  private String turnKey(ResultSet row) throws SQLException {
    Instant committedAt;
    try {
      committedAt = dialect.getInstant(row, "at_time");
    } catch (DateTimeException e) {
      // Never equal to a valid record's key: the diff replaces the row.
      return "\u0000unreadable";
    }
    return String.join(
        "\u0000",
        String.valueOf(row.getString("text1")),
        String.valueOf(row.getString("text2")),
        Long.toString(row.getLong("number1")),
        Long.toString(row.getLong("number2")),
        committedAt.toString());
  }

  private static String turnKey(TurnRecord t) {
    return String.join(
        "\u0000",
        t.tenant(),
        t.modelId(),
        Long.toString(t.usage().inputTokens()),
        Long.toString(t.usage().outputTokens()),
        t.committedAt().toString());
  }

  private static void deleteRange(Connection c, String table, String id, RowDiff diff)
      throws SQLException {
    if (!diff.deletes()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "DELETE FROM " + table + " WHERE conversation_id = ? AND position BETWEEN ? AND ?")) {
      s.setString(1, id);
      s.setLong(2, diff.deleteFrom());
      s.setLong(3, diff.deleteTo());
      s.executeUpdate();
    }
  }

  /** Returns a tenant's conversations, most recently updated first. */
  List<ConversationInfo> list(Connection c, String tenant, Instant cutoff) throws SQLException {
    List<ConversationInfo> list = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, tenant, version, message_count, updated_at FROM "
                + conversation
                + " WHERE tenant = ?"
                + fresh
                + " ORDER BY updated_at DESC, id")) {
      s.setString(1, tenant);
      bindCutoff(s, 2, cutoff);
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          String id = row.getString("id");
          list.add(
              new ConversationInfo(
                  id,
                  row.getString("tenant"),
                  row.getLong("version"),
                  row.getInt("message_count"),
                  instant(row, "updated_at", id, conversation + " row, field updated_at")));
        }
      }
    }
    return list;
  }

  /**
   * Deletes up to {@link #DELETE_BATCH} conversations matching a condition on the conversation
   * table, with their messages and turns (without relying on cascades, which SQLite applies only
   * when a connection turns foreign keys on).
   *
   * @param where the condition, with {@code ?} for the values
   * @param values a String, or an Instant (bound as the dialect keeps times)
   * @return how many conversations were deleted
   */
  int deleteWhere(Connection c, String where, Object... values) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id FROM "
                + conversation
                + " WHERE "
                + where
                + " ORDER BY id LIMIT "
                + DELETE_BATCH
                + dialect.forUpdate())) {
      for (int i = 0; i < values.length; i++) {
        if (values[i] instanceof Instant t) {
          dialect.setInstant(s, i + 1, t);
        } else {
          s.setString(i + 1, (String) values[i]);
        }
      }
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          ids.add(row.getString(1));
        }
      }
    }
    if (ids.isEmpty()) {
      return 0;
    }
    for (String table : List.of(message, turn)) {
      deleteIds(c, "DELETE FROM " + table + " WHERE conversation_id = ?", ids);
    }
    return deleteIds(c, "DELETE FROM " + conversation + " WHERE id = ?", ids);
  }

  private static int deleteIds(Connection c, String sql, List<String> ids) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (String id : ids) {
        s.setString(1, id);
        s.addBatch();
      }
      int deleted = 0;
      for (int count : s.executeBatch()) {
        // SUCCESS_NO_INFO (-2): the driver did not count; the locked row was there.
        deleted += count == PreparedStatement.SUCCESS_NO_INFO ? 1 : count;
      }
      return deleted;
    }
  }

  private void bindCutoff(PreparedStatement s, int index, Instant cutoff) throws SQLException {
    if (!fresh.isEmpty()) {
      dialect.setInstant(s, index, cutoff);
    }
  }

  /** Returns the message's kind as {@link MessageCodec} writes it. */
  static String kindOf(Message m) {
    return m.role().name().toLowerCase(Locale.ROOT);
  }
}
