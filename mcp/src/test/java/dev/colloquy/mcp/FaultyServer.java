package dev.colloquy.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately broken MCP server over stdio, run as its own JVM by the failure tests: raw
 * JSON-RPC lines, no SDK, so it can do what a correct server never would. Its tools:
 *
 * <ul>
 *   <li>{@code echo {text}}: answers the text;
 *   <li>{@code crash}: writes the {@code TOKEN} environment variable to its error output, then
 *       exits with status 3 in the middle of the call;
 *   <li>{@code slow {millis}}: answers after that long (answering other calls meanwhile);
 *   <li>{@code malformed}: answers a result whose {@code content} is not a list;
 *   <li>{@code fails}: answers {@code isError: true} with "disk full";
 *   <li>{@code structured}: declares an output schema its structured content does not fit;
 *   <li>{@code garbage}: writes a line that is not JSON to its standard output;
 *   <li>{@code env}: answers the {@code TOKEN} environment variable;
 *   <li>{@code rejects}: answers a JSON-RPC error whose message holds the {@code TOKEN};
 *   <li>{@code bad_schema} (an input schema with an unknown type) and {@code bad name!} (not a
 *       valid tool name), which a client must refuse.
 * </ul>
 */
public final class FaultyServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FaultyServer() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      JsonNode message = JSON.readTree(line);
      if (!message.has("id") || !message.has("method")) {
        continue; // a notification or a response
      }
      JsonNode id = message.get("id");
      JsonNode params = message.path("params");
      switch (message.get("method").asText()) {
        case "initialize" ->
            answer(
                out,
                id,
                object()
                    .put("protocolVersion", params.path("protocolVersion").asText("2025-06-18"))
                    .<ObjectNode>set("capabilities", object().set("tools", object()))
                    .set("serverInfo", object().put("name", "faulty").put("version", "1")));
        case "ping" -> answer(out, id, object());
        case "tools/list" -> answer(out, id, object().set("tools", JSON.valueToTree(tools())));
        case "tools/call" -> call(out, id, params);
        default ->
            out.println(
                object()
                    .put("jsonrpc", "2.0")
                    .<ObjectNode>set("id", id)
                    .set("error", object().put("code", -32601).put("message", "no such method")));
      }
    }
  }

  private static List<Object> tools() throws Exception {
    List<Object> tools = new ArrayList<>();
    String text =
        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}";
    String none = "{\"type\":\"object\",\"properties\":{}}";
    tools.add(tool("echo", text));
    tools.add(tool("crash", none));
    tools.add(
        tool("slow", "{\"type\":\"object\",\"properties\":{\"millis\":{\"type\":\"integer\"}}}"));
    tools.add(tool("malformed", none));
    tools.add(tool("fails", none));
    ObjectNode structured = tool("structured", none);
    structured.set(
        "outputSchema",
        JSON.readTree(
            "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\"}},\"required\":[\"n\"]}"));
    tools.add(structured);
    tools.add(tool("garbage", none));
    tools.add(tool("env", none));
    tools.add(tool("rejects", none));
    tools.add(
        tool("bad_schema", "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"nonsense\"}}}"));
    tools.add(tool("bad name!", none));
    return tools;
  }

  private static ObjectNode tool(String name, String schema) throws Exception {
    return object()
        .put("name", name)
        .put("description", "the " + name + " tool")
        .set("inputSchema", JSON.readTree(schema));
  }

  private static void call(PrintStream out, JsonNode id, JsonNode params) throws Exception {
    JsonNode arguments = params.path("arguments");
    switch (params.path("name").asText()) {
      case "echo" -> answer(out, id, text(arguments.path("text").asText()));
      case "crash" -> {
        System.err.println("fatal: cannot go on with token=" + System.getenv("TOKEN"));
        System.err.flush();
        System.exit(3);
      }
      case "slow" -> {
        // On its own thread, so that the server answers other calls meanwhile.
        long millis = arguments.path("millis").asLong(10_000);
        Thread sleeper =
            new Thread(
                () -> {
                  try {
                    Thread.sleep(millis);
                  } catch (InterruptedException e) {
                    return;
                  }
                  answer(out, id, text("slept"));
                });
        sleeper.setDaemon(true);
        sleeper.start();
      }
      case "rejects" ->
          out.println(
              object()
                  .put("jsonrpc", "2.0")
                  .<ObjectNode>set("id", id)
                  .set(
                      "error",
                      object()
                          .put("code", -32602)
                          .put("message", "bad token " + System.getenv("TOKEN"))));
      case "malformed" -> answer(out, id, object().put("content", "not a list"));
      case "fails" -> answer(out, id, text("disk full").put("isError", true));
      case "structured" ->
          answer(
              out,
              id,
              object()
                  .<ObjectNode>set("content", JSON.createArrayNode())
                  .set("structuredContent", object().put("n", "not a number")));
      case "garbage" -> out.println("this is not JSON-RPC");
      case "env" -> answer(out, id, text("TOKEN=" + System.getenv("TOKEN")));
      default ->
          out.println(
              object()
                  .put("jsonrpc", "2.0")
                  .<ObjectNode>set("id", id)
                  .set("error", object().put("code", -32602).put("message", "unknown tool")));
    }
  }

  private static ObjectNode text(String text) {
    ObjectNode result = object();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }

  private static void answer(PrintStream out, JsonNode id, ObjectNode result) {
    // PrintStream.println is synchronized: one message is one line, whichever thread writes.
    out.println(object().put("jsonrpc", "2.0").<ObjectNode>set("id", id).set("result", result));
  }

  private static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** The command that runs this server in a new JVM with the test class path. */
  static List<String> command() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(
        java,
        "-XX:TieredStopAtLevel=1",
        "-Xshare:auto",
        "-cp",
        System.getProperty("java.class.path"),
        FaultyServer.class.getName());
  }
}
