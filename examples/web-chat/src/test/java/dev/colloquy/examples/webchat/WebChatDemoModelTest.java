package dev.colloquy.examples.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.demo.ShopAgent;
import dev.colloquy.demo.ShopModel;
import dev.colloquy.model.local.LocalGptModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application as its docs start it, with no arguments (only a free port): the embedded demo
 * model, the shop agent and its {@code orderStatus} tool. Regression test for "web-chat does not
 * start: models/demo is missing".
 */
class WebChatDemoModelTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void startsWithNoArgumentsOnTheEmbeddedDemoModelAndCallsOrderStatus() throws Exception {
    try (ConfigurableApplicationContext context =
        SpringApplication.run(WebChatApplication.class, "--server.port=0")) {
      assertThat(context.getBean(LocalGptModel.class)).isNotNull();
      assertThat(context.getEnvironment().getProperty("colloquy.local.model-path"))
          .isEqualTo(ShopModel.directory().toString());
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      String body =
          json.writeValueAsString(
              new ChatController.TurnRequest("demo-1", "Where is my order 10234?"));
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/chat"))
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(60))
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode reply = json.readTree(response.body());
      assertThat(reply.get("reply").asText()).isNotBlank().doesNotContain("[call");

      Agent assistant = context.getBean("assistant", Agent.class);
      assertThat(assistant.toolbox().specifications()).isEqualTo(ShopAgent.tools());
      List<Message> history = assistant.memory().messages("demo-1");
      assertThat(history)
          .filteredOn(AssistantMessage.class::isInstance)
          .map(AssistantMessage.class::cast)
          .flatMap(AssistantMessage::toolCalls)
          .anySatisfy(
              call -> {
                assertThat(call.name()).isEqualTo("orderStatus");
                assertThat(call.arguments()).contains("10234");
              });
      assertThat(history).filteredOn(ToolResultMessage.class::isInstance).hasSize(1);
    }
  }

  @Test
  void aModelPathPropertyOverridesTheEmbeddedModel() {
    assertThatThrownBy(
            () ->
                SpringApplication.run(
                        WebChatApplication.class,
                        "--server.port=0",
                        "--colloquy.local.model-path=/no/such/checkpoint")
                    .close())
        .hasStackTraceContaining("/no/such/checkpoint");
  }
}
