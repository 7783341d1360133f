package dev.colloquy.bench.remote;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback chat-completions server that answers at once with a fixed reply: a JSON completion, or
 * the same reply as an event stream when the request asks for {@code "stream": true}.
 */
final class InstantServer implements AutoCloseable {

  static final String COMPLETION =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
          + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
          + "\"The lighthouse keeper climbed the stairs and lit the lamp.\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":11,\"total_tokens\":23}}";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  InstantServer() throws IOException {
    byte[] completion = COMPLETION.getBytes(StandardCharsets.UTF_8);
    byte[] stream = SseCorpus.stream(11, 0).getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange;
              InputStream in = exchange.getRequestBody()) {
            byte[] request = in.readAllBytes();
            boolean streaming =
                new String(request, StandardCharsets.UTF_8).contains("\"stream\":true");
            byte[] body = streaming ? stream : completion;
            exchange
                .getResponseHeaders()
                .add("Content-Type", streaming ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
