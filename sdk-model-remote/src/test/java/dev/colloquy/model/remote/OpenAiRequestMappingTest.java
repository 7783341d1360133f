package dev.colloquy.model.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.model.ResponseFormat;
import dev.colloquy.core.model.ToolChoice;
import dev.colloquy.core.model.ToolSpecification;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiRequestMappingTest {

  private final FakeOpenAiServer server = FakeOpenAiServer.start();
  private final OpenAiChatModel model = server.model(new RecordingSleeper()).build();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private JsonNode sent(ChatRequest request) {
    model.chat(request);
    return server.lastRequest().body();
  }

  private static ToolSpecification weatherTool() {
    JsonSchema schema =
        JsonSchema.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
    return new ToolSpecification("get_weather", "Weather of a city", schema);
  }

  @Test
  void sendsEveryKindOfMessageInOrder() {
    ToolCall call = new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}");
    JsonNode body =
        sent(
            ChatRequest.of(
                Message.system("Be brief."),
                Message.user("Weather?"),
                AssistantMessage.ofToolCalls(List.of(call)),
                ToolResultMessage.of(call, "{\"temp\":3}"),
                Message.assistant("It is 3 degrees.")));

    assertThat(body.path("model").asText()).isEqualTo("tiny");
    assertThat(body.path("messages").toString())
        .isEqualTo(
            "["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"{\\\"temp\\\":3}\"},"
                + "{\"role\":\"assistant\",\"content\":\"It is 3 degrees.\"}]");
  }

  @Test
  void sendsToolsAndEachToolChoice() {
    ChatRequest base =
        new ChatRequest(
            List.of(Message.user("go")), List.of(weatherTool()), ChatOptions.defaults());

    JsonNode auto = sent(base);
    JsonNode none =
        sent(base.withOptions(ChatOptions.builder().toolChoice(ToolChoice.none()).build()));
    JsonNode required =
        sent(base.withOptions(ChatOptions.builder().toolChoice(ToolChoice.required()).build()));

    assertThat(auto.path("tools").toString())
        .isEqualTo(
            "[{\"type\":\"function\",\"function\":{\"name\":"
                + "\"get_weather\",\"description\":\"Weather of a city\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}]");
    assertThat(auto.has("tool_choice")).isFalse();
    assertThat(none.path("tool_choice").asText()).isEqualTo("none");
    assertThat(required.path("tool_choice").asText()).isEqualTo("required");
  }

  @Test
  void sendsANamedToolChoiceAsAFunctionObject() {
    ChatRequest request =
        new ChatRequest(
            List.of(Message.user("go")),
            List.of(weatherTool()),
            ChatOptions.builder().toolChoice(ToolChoice.tool("get_weather")).build());

    assertThat(sent(request).path("tool_choice").toString())
        .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}");
  }

  @Test
  void sendsOnlyTheOptionsThatWereSet() {
    ChatOptions options =
        ChatOptions.builder()
            .temperature(0.5)
            .topP(0.9)
            .topK(40)
            .maxTokens(64)
            .stop("END", "STOP")
            .seed(7)
            .build();

    JsonNode body = sent(ChatRequest.of(Message.user("hi")).withOptions(options));
    JsonNode bare = sent(ChatRequest.of(Message.user("hi")));

    assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
    assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.path("top_k").asInt()).isEqualTo(40);
    assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(body.path("stop").toString()).isEqualTo("[\"END\",\"STOP\"]");
    assertThat(body.path("seed").asLong()).isEqualTo(7);
    assertThat(bare.toString())
        .isEqualTo("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void sendsTheTokenLimitAsMaxTokensByDefault() {
    JsonNode body =
        sent(
            ChatRequest.of(Message.user("hi"))
                .withOptions(ChatOptions.builder().maxTokens(64).build()));

    assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(body.has("max_completion_tokens")).isFalse();
  }

  @Test
  void sendsTheTokenLimitAsMaxCompletionTokensWhenThatFieldIsChosen() {
    OpenAiChatModel reasoning =
        server
            .model(new RecordingSleeper())
            .maxTokensField(MaxTokensField.MAX_COMPLETION_TOKENS)
            .build();

    reasoning.chat(
        ChatRequest.of(Message.user("hi"))
            .withOptions(ChatOptions.builder().maxTokens(64).build()));
    JsonNode body = server.lastRequest().body();

    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(64);
    assertThat(body.has("max_tokens")).isFalse();
  }

  @Test
  void sendsNoTokenLimitFieldWhenNoLimitIsSetWhicheverFieldIsChosen() {
    OpenAiChatModel reasoning =
        server
            .model(new RecordingSleeper())
            .maxTokensField(MaxTokensField.MAX_COMPLETION_TOKENS)
            .build();

    JsonNode byDefault = sent(ChatRequest.of(Message.user("hi")));
    reasoning.chat(ChatRequest.of(Message.user("hi")));
    JsonNode withCompletionTokens = server.lastRequest().body();

    for (JsonNode body : List.of(byDefault, withCompletionTokens)) {
      assertThat(body.has("max_tokens")).isFalse();
      assertThat(body.has("max_completion_tokens")).isFalse();
    }
  }

  @Test
  void sendsJsonObjectAndJsonSchemaResponseFormats() {
    JsonSchema schema = JsonSchema.parse("{\"type\":\"object\"}");
    ChatRequest request = ChatRequest.of(Message.user("hi"));

    JsonNode json =
        sent(
            request.withOptions(
                ChatOptions.builder().responseFormat(ResponseFormat.json()).build()));
    JsonNode schemaBody =
        sent(
            request.withOptions(
                ChatOptions.builder()
                    .responseFormat(ResponseFormat.jsonSchema("answer", schema))
                    .build()));

    assertThat(json.path("response_format").toString()).isEqualTo("{\"type\":\"json_object\"}");
    assertThat(schemaBody.path("response_format").toString())
        .isEqualTo(
            "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"schema\":{\"type\":\"object\"}}}");
  }

  @Test
  void asksForStrictJsonSchemaWhenTheFormatIsStrict() {
    JsonSchema schema = JsonSchema.parse("{\"type\":\"object\",\"additionalProperties\":false}");

    JsonNode body =
        sent(
            ChatRequest.of(Message.user("hi"))
                .withOptions(
                    ChatOptions.builder()
                        .responseFormat(ResponseFormat.strictJsonSchema("answer", schema))
                        .build()));

    assertThat(body.path("response_format").toString())
        .isEqualTo(
            "{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"name\":\"answer\",\"strict\":true,\"schema\":{\"type\":\"object\",\"additionalProperties\":false}}}");
  }

  @Test
  void refusesMoreStopSequencesThanTheServerAcceptsWithoutSendingAnything() {
    ChatRequest fiveStops =
        ChatRequest.of(Message.user("hi"))
            .withOptions(ChatOptions.builder().stop(List.of("a", "b", "c", "d", "e")).build());
    OpenAiChatModel openAi = server.model(new RecordingSleeper()).build();

    assertThatThrownBy(() -> openAi.chat(fiveStops))
        .isInstanceOf(NonRetryableException.class)
        .hasMessageContaining("5 stop sequences")
        .hasMessageContaining("at most 4")
        .hasMessageContaining("maxStopSequences");
    assertThat(server.served()).isZero();

    OpenAiChatModel vllm = server.model(new RecordingSleeper()).maxStopSequences(8).build();
    vllm.chat(fiveStops);
    assertThat(server.lastRequest().body().path("stop")).hasSize(5);
    assertThatThrownBy(() -> server.model(new RecordingSleeper()).maxStopSequences(17))
        .hasMessageContaining("between 1 and 16");
  }

  @Test
  void sendsABearerKeyAndExtraHeaders() {
    OpenAiChatModel keyed =
        server
            .model(new RecordingSleeper())
            .apiKey("sk-abc")
            .header("OpenAI-Organization", "org-1")
            .build();

    keyed.chat(ChatRequest.of(Message.user("hi")));

    assertThat(server.lastRequest().headers().getFirst("Authorization")).isEqualTo("Bearer sk-abc");
    assertThat(server.lastRequest().headers().getFirst("OpenAI-Organization")).isEqualTo("org-1");
    assertThat(server.lastRequest().path()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void readsTheKeyFromOpenAiApiKeyWhenNoneIsGiven() {
    OpenAiChatModel fromEnvironment =
        new OpenAiChatModel.Builder(name -> name.equals("OPENAI_API_KEY") ? "sk-env" : null)
            .baseUrl(server.baseUrl())
            .model("m")
            .build();

    fromEnvironment.chat(ChatRequest.of(Message.user("hi")));

    assertThat(server.lastRequest().headers().getFirst("Authorization")).isEqualTo("Bearer sk-env");
    assertThat(fromEnvironment.toString()).contains("OPENAI_API_KEY").doesNotContain("sk-env");
  }

  @Test
  void sendsNoAuthorizationWithoutAKey() {
    model.chat(ChatRequest.of(Message.user("hi")));

    assertThat(server.lastRequest().headers().containsKey("Authorization")).isFalse();
  }

  @Test
  void sendsAzuresApiKeyHeaderAndApiVersionQuery() {
    OpenAiChatModel azure =
        new OpenAiChatModel.Builder(name -> "sk-env-ignored")
            .baseUrl(server.baseUrl() + "/openai/deployments/gpt4o/")
            .azureApiKey("az-key")
            .apiVersion("2024-10-21")
            .model("gpt-4o")
            .build();

    azure.chat(ChatRequest.of(Message.user("hi")));

    assertThat(server.lastRequest().headers().getFirst("api-key")).isEqualTo("az-key");
    assertThat(server.lastRequest().headers().containsKey("Authorization")).isFalse();
    assertThat(server.lastRequest().path())
        .isEqualTo("/v1/openai/deployments/gpt4o/chat/completions");
    assertThat(server.lastRequest().query()).isEqualTo("api-version=2024-10-21");
    assertThat(azure.toString()).doesNotContain("az-key").doesNotContain("api-version");
  }
}
