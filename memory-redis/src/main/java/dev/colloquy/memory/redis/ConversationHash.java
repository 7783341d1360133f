package dev.colloquy.memory.redis;

import dev.colloquy.core.memory.ConversationInfo;
import dev.colloquy.core.memory.ConversationUpdate;
import dev.colloquy.core.memory.CorruptConversationException;
import dev.colloquy.core.memory.MessageCodec;
import dev.colloquy.core.memory.StoredConversation;
import dev.colloquy.core.memory.TurnRecord;
import dev.colloquy.core.message.Message;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hash that holds one conversation, whole (docs/persistence-redis.md): {@code id}, {@code
 * tenant}, {@code tenantCode}, {@code version}, {@code updatedAt} (ISO-8601, microseconds), {@code
 * messages} and {@code turns} (counts), {@code message:0} … and {@code turn:0} … (one {@link
 * MessageCodec} JSON object each, oldest first). One key per conversation, so it expires, is
 * evicted or is deleted whole.
 */
final class ConversationHash {

  private ConversationHash() {}

  /** Returns the arguments of save.lua after the fixed ones: the count, messages, turn records. */
  static List<String> payload(ConversationUpdate update) {
    List<String> args = new ArrayList<>(1 + update.messages().size() + update.turns().size());
    args.add(Integer.toString(update.messages().size()));
    for (Message message : update.messages()) {
      args.add(MessageCodec.write(message));
    }
    for (TurnRecord turn : update.turns()) {
      args.add(MessageCodec.write(turn));
    }
    return args;
  }

  /** Returns microseconds since the epoch: the score of the updated-at index. */
  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }

  /**
   * Reads a conversation from its hash's fields.
   *
   * @throws CorruptConversationException naming the field that cannot be read
   */
  static StoredConversation read(String id, String key, Map<String, String> fields) {
    Reader reader = new Reader(id, key, fields);
    long version = reader.number("version");
    String tenant = reader.text("tenant");
    Instant updatedAt = reader.instant("updatedAt");
    int messageCount = (int) reader.count("messages");
    int turnCount = (int) reader.count("turns");
    List<Message> messages = new ArrayList<>(messageCount);
    for (int i = 0; i < messageCount; i++) {
      String json = reader.entry("message", i, messageCount);
      try {
        messages.add(MessageCodec.read(json));
      } catch (IllegalArgumentException e) {
        throw reader.corrupt(
            "message "
                + i
                + " of "
                + messageCount
                + ", field 'message:"
                + i
                + "': "
                + e.getMessage(),
            e);
      }
    }
    List<TurnRecord> turns = new ArrayList<>(turnCount);
    for (int i = 0; i < turnCount; i++) {
      String json = reader.entry("turn", i, turnCount);
      try {
        turns.add(MessageCodec.readTurn(json));
      } catch (IllegalArgumentException e) {
        throw reader.corrupt(
            "turn record " + i + " of " + turnCount + ", field 'turn:" + i + "': " + e.getMessage(),
            e);
      }
    }
    if (version < 1) {
      throw reader.corrupt("field 'version' is " + version + ", expected 1 or more", null);
    }
    return new StoredConversation(id, tenant, version, messages, turns, updatedAt);
  }

  /**
   * Reads one entry of list.lua's answer: id code, id, version, message count, updatedAt.
   *
   * @throws CorruptConversationException naming the field that cannot be read
   */
  static ConversationInfo info(String tenant, String key, List<?> entry) {
    String id = String.valueOf(entry.get(1));
    Reader reader =
        new Reader(
            id.isEmpty() ? "(code " + entry.get(0) + ")" : id,
            key,
            Map.of(
                "id", id,
                "version", String.valueOf(entry.get(2)),
                "messages", String.valueOf(entry.get(3)),
                "updatedAt", String.valueOf(entry.get(4))));
    reader.text("id");
    return new ConversationInfo(
        id,
        tenant,
        reader.number("version"),
        (int) reader.count("messages"),
        reader.instant("updatedAt"));
  }

  /** Reads the fields of one hash, each failure a {@link CorruptConversationException}. */
  private record Reader(String id, String key, Map<String, String> fields) {

    String text(String field) {
      String value = fields.get(field);
      if (value == null || value.isEmpty()) {
        throw corrupt("field '" + field + "' is missing", null);
      }
      return value;
    }

    long number(String field) {
      String value = text(field);
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw corrupt("field '" + field + "' is '" + value + "', not an integer", e);
      }
    }

    long count(String field) {
      long value = number(field);
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw corrupt("field '" + field + "' is " + value + ", not a count", null);
      }
      return value;
    }

    Instant instant(String field) {
      String value = text(field);
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw corrupt("field '" + field + "' is '" + value + "', not an ISO-8601 instant", e);
      }
    }

    String entry(String kind, int index, int count) {
      String value = fields.get(kind + ":" + index);
      if (value == null) {
        throw corrupt(
            (kind.equals("turn") ? "turn record " : "message ")
                + index
                + " of "
                + count
                + " is missing (field '"
                + kind
                + ":"
                + index
                + "')",
            null);
      }
      return value;
    }

    CorruptConversationException corrupt(String what, Throwable cause) {
      return new CorruptConversationException(id, what + " (Redis key '" + key + "')", cause);
    }
  }
}
