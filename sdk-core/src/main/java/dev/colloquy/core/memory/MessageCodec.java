package dev.colloquy.core.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.message.UserMessage;
import dev.colloquy.core.model.TokenUsage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form in which persistent stores keep messages and turn records, one JSON object each, so
 * that every store writes the same documented layout (see docs/persistence.md).
 *
 * <pre>
 * {"kind":"system","text":"..."}
 * {"kind":"user","text":"..."}
 * {"kind":"assistant","text":"...","toolCalls":[{"id":"...","name":"...","arguments":"{...}"}]}
 * {"kind":"tool","toolCallId":"...","toolName":"...","text":"...","error":false}
 * </pre>
 *
 * <p>Reading is strict: an unknown kind, a missing or mistyped field, or broken JSON is an {@link
 * IllegalArgumentException} saying which, that a store turns into a {@link
 * CorruptConversationException} naming the conversation and row.
 */
public final class MessageCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MessageCodec() {}

  /**
   * Returns a message as one line of JSON.
   *
   * @param message the message
   */
  public static String write(Message message) {
    ObjectNode node = JSON.createObjectNode();
    if (message instanceof SystemMessage m) {
      node.put("kind", "system").put("text", m.text());
    } else if (message instanceof UserMessage m) {
      node.put("kind", "user").put("text", m.text());
    } else if (message instanceof AssistantMessage m) {
      node.put("kind", "assistant").put("text", m.text());
      ArrayNode calls = node.putArray("toolCalls");
      for (ToolCall call : m.toolCalls()) {
        calls
            .addObject()
            .put("id", call.id())
            .put("name", call.name())
            .put("arguments", call.arguments());
      }
    } else if (message instanceof ToolResultMessage m) {
      node.put("kind", "tool")
          .put("toolCallId", m.toolCallId())
          .put("toolName", m.toolName())
          .put("text", m.text())
          .put("error", m.error());
    }
    return node.toString();
  }

  /**
   * Reads a message written by {@link #write}.
   *
   * @param json the JSON text
   * @throws IllegalArgumentException when the text is not such a message, saying what is wrong
   */
  public static Message read(String json) {
    JsonNode node = parse(json);
    String kind = text(node, "kind");
    return switch (kind) {
      case "system" -> new SystemMessage(text(node, "text"));
      case "user" -> new UserMessage(text(node, "text"));
      case "assistant" -> new AssistantMessage(text(node, "text"), toolCalls(node));
      case "tool" ->
          new ToolResultMessage(
              text(node, "toolCallId"),
              text(node, "toolName"),
              text(node, "text"),
              bool(node, "error"));
      default ->
          throw new IllegalArgumentException(
              "unknown message kind '" + kind + "'; expected one of system, user, assistant, tool");
    };
  }

  /**
   * Returns a turn record as one line of JSON: {@code
   * {"tenant":..,"modelId":..,"inputTokens":..,"outputTokens":..,"committedAt":"ISO-8601"}}.
   *
   * @param turn the record
   */
  public static String write(TurnRecord turn) {
    return JSON.createObjectNode()
        .put("tenant", turn.tenant())
        .put("modelId", turn.modelId())
        .put("inputTokens", turn.usage().inputTokens())
        .put("outputTokens", turn.usage().outputTokens())
        .put("committedAt", turn.committedAt().toString())
        .toString();
  }

  /**
   * Reads a turn record written by {@link #write(TurnRecord)}.
   *
   * @param json the JSON text
   * @throws IllegalArgumentException when the text is not such a record, saying what is wrong
   */
  public static TurnRecord readTurn(String json) {
    JsonNode node = parse(json);
    try {
      return new TurnRecord(
          text(node, "tenant"),
          text(node, "modelId"),
          new TokenUsage(number(node, "inputTokens"), number(node, "outputTokens")),
          Instant.parse(text(node, "committedAt")));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field 'committedAt' is not an ISO-8601 instant", e);
    }
  }

  private static JsonNode parse(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "broken JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr(),
          e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    return node;
  }

  private static List<ToolCall> toolCalls(JsonNode node) {
    JsonNode calls = node.get("toolCalls");
    if (calls == null) {
      return List.of();
    }
    if (!calls.isArray()) {
      throw new IllegalArgumentException("field 'toolCalls' must be an array");
    }
    List<ToolCall> list = new ArrayList<>();
    for (JsonNode call : calls) {
      if (!call.isObject()) {
        throw new IllegalArgumentException("an entry of 'toolCalls' is not an object");
      }
      list.add(new ToolCall(text(call, "id"), text(call, "name"), text(call, "arguments")));
    }
    return list;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
    }
    return value.textValue();
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isBoolean()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not true/false");
    }
    return value.booleanValue();
  }

  private static long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not an integer");
    }
    return value.longValue();
  }
}
