package dev.colloquy.examples.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ScriptedBackend.class)
class WebChatApplicationTest {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  @LocalServerPort int port;

  @Autowired MeterRegistry meters;

  @Autowired SpanLog spanLog;

  @Autowired SdkTracerProvider tracerProvider;

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode post(String conversationId, String message)
      throws IOException, InterruptedException {
    String body = json.writeValueAsString(new ChatController.TurnRequest(conversationId, message));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/chat"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }

  @Test
  void aTurnWithoutItsMessageIsABadRequestNamingTheFieldNotAServerError() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/chat"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"conversationId\": \"c1\", \"text\": \"hi\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json.readTree(response.body()).get("message").asText())
        .isEqualTo(
            "the request body needs a non-blank \"conversationId\" and a \"message\":"
                + " \"message\" is missing");
  }

  @Test
  void aTurnOverRestRepliesAndRemembersTheConversation() throws Exception {
    assertThat(post("rest-1", "hello").get("reply").asText())
        .isEqualTo("You said: hello (2 messages)");
    // System prompt, first user message, first reply, second user message.
    assertThat(post("rest-1", "again").get("reply").asText())
        .isEqualTo("You said: again (4 messages)");
    assertThat(post("rest-2", "hi").get("reply").asText()).isEqualTo("You said: hi (2 messages)");
  }

  @Test
  void theStreamEndpointSendsTheReplyAsSeveralDeltaEventsThenDone() throws Exception {
    HttpResponse<String> response =
        get(
            "/api/chat/stream?conversationId=sse-1&message="
                + URLEncoder.encode("tell me more", StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    List<String> events = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    String event = null;
    for (String line : response.body().split("\n")) {
      if (line.startsWith("event:")) {
        event = line.substring("event:".length()).strip();
        events.add(event);
      } else if (line.startsWith("data:") && "delta".equals(event)) {
        text.append(json.readTree(line.substring("data:".length())).get("text").asText());
      }
    }
    assertThat(events.stream().filter("delta"::equals).count()).isGreaterThan(3);
    assertThat(events).last().isEqualTo("done");
    assertThat(text).hasToString("You said: tell me more (2 messages)");
  }

  @Test
  void theChatPageIsServed() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<form id=\"chat\">").contains("chat.js");
    assertThat(get("/chat.js").body()).contains("new EventSource(url)");
  }

  @Test
  void theAgentsCallsAreMeteredAndHealthIsReported() throws Exception {
    post("metrics-1", "count me");
    assertThat(meters.find("colloquy.model.calls").timer())
        .isNotNull()
        .satisfies(timer -> assertThat(timer.count()).isPositive());
    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json.readTree(health.body()).get("status").asText()).isEqualTo("UP");
    // An anonymous visitor sees the status, not which model runs where.
    assertThat(json.readTree(health.body()).has("components")).isFalse();
    assertThat(health.body()).doesNotContain("colloquyLocal", "runtime");
  }

  @Test
  void aChatRequestWithAToolCallIsTracedAsOneTreeUnderTheHttpRequest() throws Exception {
    assertThat(post("trace-1", "Where is my order 10234?").get("reply").asText())
        .isEqualTo(ScriptedBackend.ORDER_REPLY);

    List<SpanData> trace = traceOf("trace-1");
    SpanData turn = named(trace, "invoke_agent assistant");
    SpanData request =
        trace.stream()
            .filter(span -> span.getSpanId().equals(turn.getParentSpanId()))
            .findFirst()
            .orElseThrow();
    assertThat(request.getName()).containsIgnoringCase("post");
    assertThat(
            trace.stream()
                .filter(span -> span.getParentSpanId().equals(turn.getSpanId()))
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
                .map(SpanData::getName))
        .containsExactly("chat", "execute_tool orderStatus", "chat");
    assertThat(SpanLog.tree(trace))
        .contains("invoke_agent assistant (")
        .contains("gen_ai.tool.name=orderStatus")
        .doesNotContain("Where is my order");
  }

  // The HTTP request's span ends after the response is written: wait for its trace to be exported.
  private List<SpanData> traceOf(String conversationId) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      tracerProvider.forceFlush().join(5, TimeUnit.SECONDS);
      Optional<List<SpanData>> trace =
          spanLog.traces().stream()
              .filter(
                  spans ->
                      spans.stream()
                          .anyMatch(
                              span ->
                                  conversationId.equals(
                                      span.getAttributes()
                                          .get(AttributeKey.stringKey("gen_ai.conversation.id")))))
              .findFirst();
      if (trace.isPresent()) {
        return trace.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no trace of conversation " + conversationId + " was exported");
  }

  private static SpanData named(List<SpanData> spans, String name) {
    return spans.stream()
        .filter(span -> span.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + SpanLog.tree(spans)));
  }
}
