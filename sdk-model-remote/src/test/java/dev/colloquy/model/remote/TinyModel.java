package dev.colloquy.model.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic "model" behind {@link FakeOpenAiServer}: it always tells the same story, one word
 * per token, honouring {@code max_tokens}, {@code stop} and a named {@code tool_choice} the way a
 * real server does, streamed or not, with usage.
 */
final class TinyModel {

  static final String STORY =
      "Once upon a time a lighthouse keeper kept the light burning all night long.";

  static final FakeOpenAiServer.Responder RESPONDER = TinyModel::respond;

  private TinyModel() {}

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, JsonNode request)
      throws IOException {
    boolean stream = request.path("stream").asBoolean(false);
    String forcedTool = request.path("tool_choice").path("function").path("name").asText("");
    List<String> tokens = new ArrayList<>();
    String finishReason = "stop";
    String arguments = "";
    if (!forcedTool.isEmpty()) {
      finishReason = "tool_calls";
      arguments = "{\"city\":\"Paris\"}";
    } else {
      String[] words = STORY.split(" ");
      int max = request.path("max_tokens").asInt(Integer.MAX_VALUE);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < words.length; i++) {
        if (i == max) {
          finishReason = "length";
          break;
        }
        text.append(i == 0 ? "" : " ").append(words[i]);
      }
      String reply = text.toString();
      for (JsonNode stop : request.path("stop")) {
        int at = reply.indexOf(stop.asText());
        if (at >= 0) {
          reply = reply.substring(0, at);
          finishReason = "stop";
        }
      }
      int from = 0;
      for (int i = 1; i <= reply.length(); i++) {
        if (i == reply.length() || reply.charAt(i) == ' ') {
          tokens.add(reply.substring(from, i));
          from = i;
        }
      }
    }
    long promptTokens = 0;
    for (JsonNode message : request.path("messages")) {
      promptTokens += message.path("content").asText("").split("\\s+").length;
    }
    long completionTokens = forcedTool.isEmpty() ? tokens.size() : 5;
    OutputStream out = exchange.getResponseBody();
    if (stream) {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      for (String token : tokens) {
        write(out, FakeOpenAiServer.text(token));
      }
      if (!forcedTool.isEmpty()) {
        write(
            out,
            FakeOpenAiServer.toolDeltas(
                "{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":"
                    + "{\"name\":\""
                    + forcedTool
                    + "\",\"arguments\":\"\"}}"));
        for (int i = 0; i < arguments.length(); i += 4) {
          String piece = arguments.substring(i, Math.min(arguments.length(), i + 4));
          write(
              out,
              FakeOpenAiServer.toolDeltas(
                  "{\"index\":0,\"function\":{\"arguments\":"
                      + FakeOpenAiServer.quote(piece)
                      + "}}"));
        }
      }
      write(out, FakeOpenAiServer.finish(finishReason));
      write(out, FakeOpenAiServer.usage(promptTokens, completionTokens));
      write(out, FakeOpenAiServer.DONE);
      return;
    }
    ObjectNode completion = FakeOpenAiServer.JSON.createObjectNode();
    completion.put("id", "cmpl-1").put("object", "chat.completion").put("model", "tiny-1");
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", finishReason);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    if (forcedTool.isEmpty()) {
      message.put("content", String.join("", tokens));
    } else {
      message.putNull("content");
      ArrayNode calls = message.putArray("tool_calls");
      ObjectNode call = calls.addObject().put("id", "call_1").put("type", "function");
      call.putObject("function").put("name", forcedTool).put("arguments", arguments);
    }
    completion
        .putObject("usage")
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    byte[] body = FakeOpenAiServer.JSON.writeValueAsBytes(completion);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    out.write(body);
  }

  private static void write(OutputStream out, String chunk) throws IOException {
    out.write(chunk.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
