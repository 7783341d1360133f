package dev.colloquy.test.internal.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.model.ResponseFormat;
import dev.colloquy.core.model.TokenLogprob;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.model.ToolChoice;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.test.internal.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps requests and responses to the cassette's JSON and back. Requests are written only (a replay
 * compares JSON to JSON); responses are read back into {@link ChatResponse}s. Unset options are
 * left out, so a cassette shows only what a request really said. A response's logprobs are written
 * when it has any, each token's bytes as numbers 0 to 255 as OpenAI writes them (the cassette's
 * {@link Redactor} drops them when they spell a secret).
 */
public final class CassetteCodec {

  /** The format marker written at the top of each cassette. */
  public static final String FORMAT = "colloquy-cassette/1";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CassetteCodec() {}

  /** Returns the request as JSON: messages, tools and the options that were set. */
  public static ObjectNode request(ChatRequest request) {
    ObjectNode out = F.objectNode();
    ArrayNode messages = out.putArray("messages");
    for (Message m : request.messages()) {
      ObjectNode node =
          messages
              .addObject()
              .put("role", m.role().name().toLowerCase(Locale.ROOT))
              .put("text", m.text());
      if (m instanceof AssistantMessage a && a.hasToolCalls()) {
        node.set("toolCalls", toolCalls(a.toolCalls()));
      } else if (m instanceof ToolResultMessage r) {
        node.put("toolCallId", r.toolCallId()).put("toolName", r.toolName());
        if (r.error()) {
          node.put("error", true);
        }
      }
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = out.putArray("tools");
      for (ToolSpecification t : request.tools()) {
        tools
            .addObject()
            .put("name", t.name())
            .put("description", t.description())
            .set("parameters", tree(t.parameters()));
      }
    }
    ObjectNode options = options(request.options());
    if (!options.isEmpty()) {
      out.set("options", options);
    }
    return out;
  }

  private static ObjectNode options(ChatOptions o) {
    ObjectNode out = F.objectNode();
    o.temperature().ifPresent(v -> out.put("temperature", v));
    o.topP().ifPresent(v -> out.put("topP", v));
    o.topK().ifPresent(v -> out.put("topK", v));
    o.maxTokens().ifPresent(v -> out.put("maxTokens", v));
    if (!o.stop().isEmpty()) {
      ArrayNode stop = out.putArray("stop");
      o.stop().forEach(stop::add);
    }
    o.seed().ifPresent(v -> out.put("seed", v));
    o.repetitionPenalty().ifPresent(v -> out.put("repetitionPenalty", v));
    o.logprobs().ifPresent(v -> out.put("logprobs", v));
    ResponseFormat format = o.responseFormat();
    if (format instanceof ResponseFormat.Json) {
      out.put("responseFormat", "json");
    } else if (format instanceof ResponseFormat.JsonSchema schema) {
      ObjectNode written = out.putObject("responseFormat").put("name", schema.name());
      if (schema.strict()) {
        written.put("strict", true);
      }
      written.set("schema", tree(schema.schema()));
    }
    ToolChoice choice = o.toolChoice();
    if (choice instanceof ToolChoice.Named named) {
      out.putObject("toolChoice").put("tool", named.name());
    } else if (choice != ToolChoice.auto()) {
      out.put("toolChoice", ((ToolChoice.Mode) choice).name().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** Returns a response, and the chunks it streamed in, as JSON. */
  public static ObjectNode response(ChatResponse response, List<String> chunks) {
    ObjectNode out = F.objectNode();
    out.put("text", response.text());
    if (response.message().hasToolCalls()) {
      out.set("toolCalls", toolCalls(response.message().toolCalls()));
    }
    out.put("finishReason", response.finishReason().name());
    out.putObject("usage")
        .put("inputTokens", response.usage().inputTokens())
        .put("outputTokens", response.usage().outputTokens());
    out.put("modelId", response.modelId());
    if (!response.logprobs().isEmpty()) {
      ArrayNode tokens = out.putArray("logprobs");
      for (TokenLogprob token : response.logprobs()) {
        ObjectNode written =
            logprob(tokens.addObject(), token.token(), token.logprob(), token.bytes());
        if (!token.topLogprobs().isEmpty()) {
          ArrayNode top = written.putArray("topLogprobs");
          for (TokenLogprob.Alternative alternative : token.topLogprobs()) {
            logprob(
                top.addObject(), alternative.token(), alternative.logprob(), alternative.bytes());
          }
        }
      }
    }
    if (chunks.size() > 1) {
      ArrayNode array = out.putArray("chunks");
      chunks.forEach(array::add);
    }
    return out;
  }

  /**
   * Reads a response written by {@link #response}.
   *
   * @throws IllegalArgumentException naming the first missing or malformed field
   */
  public static ChatResponse readResponse(JsonNode node, String where) {
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode call : node.path("toolCalls")) {
      calls.add(
          new ToolCall(
              text(call, "id", where), text(call, "name", where), text(call, "arguments", where)));
    }
    JsonNode usage = node.path("usage");
    List<TokenLogprob> logprobs = new ArrayList<>();
    int index = 0;
    for (JsonNode token : node.path("logprobs")) {
      String at = where + ": logprobs[" + index++ + "]";
      List<TokenLogprob.Alternative> top = new ArrayList<>();
      for (JsonNode alternative : token.path("topLogprobs")) {
        top.add(
            new TokenLogprob.Alternative(
                text(alternative, "token", at),
                number(alternative, "logprob", at),
                bytes(alternative, at)));
      }
      logprobs.add(
          new TokenLogprob(
              text(token, "token", at), number(token, "logprob", at), bytes(token, at), top));
    }
    return new ChatResponse(
        new AssistantMessage(text(node, "text", where), calls),
        FinishReason.valueOf(text(node, "finishReason", where)),
        new TokenUsage(usage.path("inputTokens").asLong(0), usage.path("outputTokens").asLong(0)),
        text(node, "modelId", where),
        List.of(),
        logprobs);
  }

  private static ObjectNode logprob(ObjectNode out, String token, double logprob, byte[] bytes) {
    out.put("token", token).put("logprob", logprob);
    ArrayNode array = out.putArray("bytes");
    for (byte b : bytes) {
      array.add(b & 0xff);
    }
    return out;
  }

  private static double number(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber() || value.asDouble() > 0) {
      throw new IllegalArgumentException(
          where + ": field '" + field + "' is missing or not a number of 0 or less");
    }
    return value.asDouble();
  }

  private static byte[] bytes(JsonNode node, String where) {
    JsonNode array = node.path("bytes");
    byte[] bytes = new byte[array.size()];
    for (int i = 0; i < bytes.length; i++) {
      JsonNode value = array.get(i);
      if (!value.canConvertToInt() || value.asInt() < 0 || value.asInt() > 255) {
        throw new IllegalArgumentException(where + ": bytes[" + i + "] is not a byte, 0 to 255");
      }
      bytes[i] = (byte) value.asInt();
    }
    return bytes;
  }

  /**
   * Returns the chunks a recorded response streamed in; its whole text as one when not recorded.
   */
  public static List<String> readChunks(JsonNode response) {
    List<String> chunks = new ArrayList<>();
    response.path("chunks").forEach(c -> chunks.add(c.asText()));
    if (chunks.isEmpty() && !response.path("text").asText("").isEmpty()) {
      chunks.add(response.path("text").asText());
    }
    return chunks;
  }

  private static ArrayNode toolCalls(List<ToolCall> calls) {
    ArrayNode array = F.arrayNode();
    for (ToolCall c : calls) {
      array.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments());
    }
    return array;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(
          where + ": field '" + field + "' is missing or not a string");
    }
    return value.asText();
  }

  private static JsonNode tree(JsonSchema schema) {
    return Json.parse(schema.toJson())
        .orElseThrow(() -> new IllegalStateException("a JsonSchema writes valid JSON"));
  }
}
