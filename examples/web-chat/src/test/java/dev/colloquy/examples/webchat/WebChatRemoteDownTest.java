package dev.colloquy.examples.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code colloquy.backend=remote} pointing at a loopback port that refuses connections: the page
 * gets one generic line, never the backend's URL or key; the server log gets the details.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebChatRemoteDownTest {
  private static final String KEY = "sk-test-do-not-show-4711";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  private static int refusingPort() throws IOException {
    // A port that was free a moment ago and that nothing listens on now.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aRemoteBackendThatIsDownShowsAGenericLineAndLogsTheDetails(CapturedOutput log)
      throws Exception {
    int down = refusingPort();
    String baseUrl = "http://127.0.0.1:" + down + "/v1";
    try (ConfigurableApplicationContext context =
        SpringApplication.run(
            WebChatApplication.class,
            "--server.port=0",
            "--colloquy.backend=remote",
            "--colloquy.remote.base-url=" + baseUrl,
            "--colloquy.remote.model=shop",
            "--colloquy.remote.api-key=" + KEY,
            "--colloquy.remote.max-retries=0")) {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();

      HttpResponse<String> stream =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + port
                              + "/api/chat/stream?conversationId=down-1&message="
                              + URLEncoder.encode(
                                  "Where is my order 10234?", StandardCharsets.UTF_8)))
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(stream.body())
          .contains("event:failure")
          .contains(json.writeValueAsString(ChatController.UNAVAILABLE))
          .doesNotContain(String.valueOf(down))
          .doesNotContain("127.0.0.1")
          .doesNotContain(KEY);

      String body = json.writeValueAsString(new ChatController.TurnRequest("down-2", "hello"));
      HttpResponse<String> rest =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/chat"))
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(rest.statusCode()).isEqualTo(503);
      assertThat(json.readTree(rest.body()).get("message").asText())
          .isEqualTo(ChatController.UNAVAILABLE);
      assertThat(rest.body()).doesNotContain(String.valueOf(down)).doesNotContain(KEY);

      assertThat(log.getOut())
          .contains("A chat turn of conversation down-1 failed")
          .contains(baseUrl)
          .doesNotContain(KEY);
    }
  }
}
