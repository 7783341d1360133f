package dev.colloquy.model.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that speaks the chat-completions protocol: each request is
 * answered by the next scripted {@link Responder}, or, when the script is empty, by the
 * deterministic {@link TinyModel}. Every request is recorded.
 */
final class FakeOpenAiServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Answers one request. */
  @FunctionalInterface
  interface Responder {
    void respond(HttpExchange exchange, JsonNode request) throws IOException;
  }

  /** One request as the server received it. */
  record Recorded(JsonNode body, Headers headers, String path, String query) {}

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "fake-openai-server");
            thread.setDaemon(true);
            return thread;
          });
  private final Queue<Responder> script = new ConcurrentLinkedQueue<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger served = new AtomicInteger();

  private FakeOpenAiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeOpenAiServer start() {
    try {
      return new FakeOpenAiServer();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the loopback server", e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** A builder aimed at this server, with a recording sleeper so retries take no wall time. */
  OpenAiChatModel.Builder model(RecordingSleeper sleeper) {
    return new OpenAiChatModel.Builder(name -> null)
        .baseUrl(baseUrl())
        .model("tiny")
        .sleeper(sleeper);
  }

  FakeOpenAiServer enqueue(Responder... responders) {
    script.addAll(List.of(responders));
    return this;
  }

  List<Recorded> requests() {
    return requests;
  }

  Recorded lastRequest() {
    return requests.get(requests.size() - 1);
  }

  int served() {
    return served.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    served.incrementAndGet();
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      requests.add(
          new Recorded(
              request,
              exchange.getRequestHeaders(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestURI().getRawQuery()));
      Responder responder = script.poll();
      (responder == null ? TinyModel.RESPONDER : responder).respond(exchange, request);
    } catch (IOException e) {
      // The client closed the connection (a cancelled or timed-out call): nothing left to answer.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- Responders ----

  /** A plain response with a status, a JSON (or any) body and header name/value pairs. */
  static Responder status(int status, String body, String... headerPairs) {
    return (exchange, request) -> {
      for (int i = 0; i < headerPairs.length; i += 2) {
        exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    };
  }

  /** An OpenAI-style error body. */
  static String errorBody(String message) {
    return "{\"error\":{\"message\":\""
        + message
        + "\",\"type\":\"invalid_request_error\",\"code\":null}}";
  }

  /** An event stream written piece by piece, each flushed and followed by a short pause. */
  static Responder sse(String... pieces) {
    byte[][] bytes = new byte[pieces.length][];
    for (int i = 0; i < pieces.length; i++) {
      bytes[i] = pieces[i].getBytes(StandardCharsets.UTF_8);
    }
    return sseBytes(Duration.ofMillis(2), bytes);
  }

  /** An event stream of raw byte pieces, each flushed and followed by {@code pause}. */
  static Responder sseBytes(Duration pause, byte[]... pieces) {
    return (exchange, request) -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (byte[] piece : pieces) {
        out.write(piece);
        out.flush();
        pauseFor(pause);
      }
    };
  }

  /** Sends the headers and the given pieces, then stays silent for {@code silence}. */
  static Responder stall(Duration silence, String... pieces) {
    return (exchange, request) -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (String piece : pieces) {
        out.write(piece.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      pauseFor(silence);
    };
  }

  static void pauseFor(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- Chunks ----

  static String text(String content) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"tiny-1\",\"choices\":"
        + "[{\"index\":0,\"delta\":{\"content\":"
        + quote(content)
        + "},\"finish_reason\":null}]}\n\n";
  }

  static String finish(String reason) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"tiny-1\",\"choices\":"
        + "[{\"index\":0,\"delta\":{},\"finish_reason\":\""
        + reason
        + "\"}]}\n\n";
  }

  static String usage(long prompt, long completion) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"tiny-1\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}}\n\n";
  }

  /** A chunk holding raw tool-call delta JSON objects. */
  static String toolDeltas(String... deltas) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"tiny-1\",\"choices\":"
        + "[{\"index\":0,\"delta\":{\"tool_calls\":["
        + String.join(",", deltas)
        + "]},\"finish_reason\":null}]}\n\n";
  }

  static final String DONE = "data: [DONE]\n\n";

  static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
