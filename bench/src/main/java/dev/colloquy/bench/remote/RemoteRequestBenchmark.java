package dev.colloquy.bench.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.model.remote.OpenAiChatModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One chat-completions request to an instant loopback server: Colloquy's {@link OpenAiChatModel}
 * (blocking and streaming) against a bare JDK HttpClient plus Jackson doing the minimum (write the
 * body, send, parse the reply, take the text), in the same run against the same server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
// Without TCP_NODELAY the JDK's HttpServer waits out a 40 ms delayed ACK on every small response.
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
@OutputTimeUnit(TimeUnit.SECONDS)
public class RemoteRequestBenchmark {

  private InstantServer server;
  private OpenAiChatModel model;
  private HttpClient bareClient;
  private URI endpoint;
  private final ObjectMapper mapper = new ObjectMapper();
  private final ChatRequest request =
      ChatRequest.of(
          Message.system("You are a storyteller."),
          Message.user("Tell me a short story about a lighthouse keeper."));

  /** Starts the server and both clients. */
  @Setup(Level.Trial)
  public void start() throws IOException {
    server = new InstantServer();
    model =
        OpenAiChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("sk-bench")
            .model("bench")
            .build();
    bareClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    endpoint = URI.create(server.baseUrl() + "/chat/completions");
  }

  /** Stops the server. */
  @TearDown(Level.Trial)
  public void stop() {
    server.close();
  }

  /** Colloquy, blocking: one JSON response. */
  @Benchmark
  public String colloquyBlocking() {
    return model.chat(request).text();
  }

  /** Colloquy, streaming: the same reply as 11 server-sent events. */
  @Benchmark
  public String colloquyStreaming() {
    StringBuilder seen = new StringBuilder();
    return model.generate(request, seen::append, Cancellation.none()).text();
  }

  /** The baseline: JDK HttpClient and Jackson, no retries, no validation, no typed errors. */
  @Benchmark
  public String bareHttpClientAndJackson() throws IOException, InterruptedException {
    ObjectNode body = mapper.createObjectNode().put("model", "bench");
    body.putArray("messages")
        .add(
            mapper
                .createObjectNode()
                .put("role", "system")
                .put("content", "You are a storyteller."))
        .add(mapper.createObjectNode().put("role", "user").put("content", request.lastUserText()));
    HttpRequest http =
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer sk-bench")
            .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)))
            .build();
    HttpResponse<byte[]> response = bareClient.send(http, HttpResponse.BodyHandlers.ofByteArray());
    JsonNode reply = mapper.readTree(response.body());
    return reply.path("choices").path(0).path("message").path("content").asText();
  }
}
