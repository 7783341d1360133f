package dev.colloquy.model.remote;

import static dev.colloquy.model.remote.FakeOpenAiServer.DONE;
import static dev.colloquy.model.remote.FakeOpenAiServer.finish;
import static dev.colloquy.model.remote.FakeOpenAiServer.quote;
import static dev.colloquy.model.remote.FakeOpenAiServer.sse;
import static dev.colloquy.model.remote.FakeOpenAiServer.status;
import static dev.colloquy.model.remote.FakeOpenAiServer.text;
import static dev.colloquy.model.remote.FakeOpenAiServer.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.TokenLogprob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Logprobs asked of and read from an OpenAI-compatible server over loopback HTTP. */
class OpenAiLogprobsTest {

  private final FakeOpenAiServer server = FakeOpenAiServer.start();
  private final OpenAiChatModel model = server.model(new RecordingSleeper()).build();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static ChatRequest ask(ChatOptions options) {
    return ChatRequest.of(Message.user("Hello")).withOptions(options);
  }

  /** One {@code content[]} entry as OpenAI writes it, with its alternatives. */
  private static String entry(String token, double logprob, String... alternatives) {
    return "{\"token\":"
        + quote(token)
        + ",\"logprob\":"
        + logprob
        + ",\"bytes\":"
        + bytes(token)
        + ",\"top_logprobs\":["
        + String.join(",", alternatives)
        + "]}";
  }

  private static String alternative(String token, double logprob) {
    return "{\"token\":"
        + quote(token)
        + ",\"logprob\":"
        + logprob
        + ",\"bytes\":"
        + bytes(token)
        + "}";
  }

  private static String bytes(String token) {
    List<String> values = new ArrayList<>();
    for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
      values.add(String.valueOf(b & 0xff));
    }
    return "[" + String.join(",", values) + "]";
  }

  /** A streamed chunk with text and the logprobs of its tokens. */
  private static String textWithLogprobs(String content, String... entries) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"tiny-1\",\"choices\":"
        + "[{\"index\":0,\"delta\":{\"content\":"
        + quote(content)
        + "},\"logprobs\":{\"content\":["
        + String.join(",", entries)
        + "],\"refusal\":null},\"finish_reason\":null}]}\n\n";
  }

  private static TokenLogprob expected(
      String token, double logprob, TokenLogprob.Alternative... alternatives) {
    return new TokenLogprob(
        token, logprob, token.getBytes(StandardCharsets.UTF_8), List.of(alternatives));
  }

  private static TokenLogprob.Alternative expectedAlternative(String token, double logprob) {
    return new TokenLogprob.Alternative(token, logprob, token.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void asksForLogprobsAndTopAlternativesOnlyWhenTheRequestDoes() {
    server.enqueue(sse(text("a"), finish("stop"), DONE));
    server.enqueue(sse(text("a"), finish("stop"), DONE));
    server.enqueue(sse(text("a"), finish("stop"), DONE));

    model.generate(ask(ChatOptions.builder().logprobs(3).build()), d -> {}, Cancellation.none());
    JsonNode withTop = server.lastRequest().body();
    model.generate(ask(ChatOptions.builder().logprobs(0).build()), d -> {}, Cancellation.none());
    JsonNode chosenOnly = server.lastRequest().body();
    model.generate(ask(ChatOptions.defaults()), d -> {}, Cancellation.none());
    JsonNode none = server.lastRequest().body();

    assertThat(withTop.path("logprobs").asBoolean()).isTrue();
    assertThat(withTop.path("top_logprobs").asInt()).isEqualTo(3);
    assertThat(chosenOnly.path("logprobs").asBoolean()).isTrue();
    assertThat(chosenOnly.has("top_logprobs")).isFalse();
    assertThat(none.has("logprobs")).isFalse();
    assertThat(none.has("top_logprobs")).isFalse();
    assertThat(model.capabilities().logprobs()).isTrue();
  }

  @Test
  void mapsTheLogprobsOfABlockingAnswer() {
    server.enqueue(
        status(
            200,
            "{\"model\":\"tiny-1\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"Hi!\"},"
                + "\"logprobs\":{\"content\":["
                + entry("Hi", -0.25, alternative("Hi", -0.25), alternative("Hey", -1.5))
                + ","
                + entry("!", -0.0, alternative("!", 0))
                + "],\"refusal\":null},\"finish_reason\":\"stop\"}]}"));

    ChatResponse response = model.chat(ask(ChatOptions.builder().logprobs(2).build()));

    assertThat(response.text()).isEqualTo("Hi!");
    assertThat(response.logprobs())
        .containsExactly(
            expected(
                "Hi", -0.25, expectedAlternative("Hi", -0.25), expectedAlternative("Hey", -1.5)),
            expected("!", -0.0, expectedAlternative("!", 0)));
  }

  @Test
  void collectsTheLogprobsOfStreamedChunksInOrderAndStreamsTextAsUsual() {
    List<String> deltas = new ArrayList<>();
    server.enqueue(
        sse(
            textWithLogprobs("H\u00e9", entry("H", -0.5, alternative("H", -0.5))),
            text("?"), // a chunk without logprobs stays on the fast path
            textWithLogprobs("llo", entry("l", -1.0, alternative("l", -1.0)), entry("lo", -2.0E-5)),
            finish("stop"),
            usage(3, 4),
            DONE));

    ChatResponse response =
        model.generate(
            ask(ChatOptions.builder().logprobs(1).build()), deltas::add, Cancellation.none());

    assertThat(deltas).containsExactly("H\u00e9", "?", "llo");
    assertThat(response.logprobs())
        .containsExactly(
            expected("H", -0.5, expectedAlternative("H", -0.5)),
            expected("l", -1.0, expectedAlternative("l", -1.0)),
            expected("lo", -2.0E-5));
  }

  @Test
  void missingBytesAreEmptyAndAHairAboveZeroIsZero() {
    server.enqueue(
        sse(
            "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},"
                + "\"logprobs\":{\"content\":[{\"token\":\"x\",\"logprob\":1.0E-7,\"bytes\":null,"
                + "\"top_logprobs\":[]}]}}]}\n\n",
            finish("stop"),
            DONE));

    ChatResponse response =
        model.generate(
            ask(ChatOptions.builder().logprobs(0).build()), d -> {}, Cancellation.none());

    assertThat(response.logprobs())
        .containsExactly(new TokenLogprob("x", 0, new byte[0], List.of()));
  }

  @Test
  void anEntryWithoutALogprobIsAProtocolErrorNamingTheToken() {
    server.enqueue(
        status(
            200,
            "{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"x\"},"
                + "\"logprobs\":{\"content\":[{\"token\":\"x\",\"logprob\":null}]},"
                + "\"finish_reason\":\"stop\"}]}"));

    assertThatThrownBy(() -> model.chat(ask(ChatOptions.builder().logprobs(0).build())))
        .isInstanceOf(RemoteProtocolException.class)
        .hasMessageContaining("a logprobs entry for token 'x' has no numeric logprob");
  }

  @Test
  void aServerThatIgnoresTheRequestGivesNoLogprobs() {
    server.enqueue(sse(text("plain"), finish("stop"), DONE));

    ChatResponse response =
        model.generate(
            ask(ChatOptions.builder().logprobs(5).build()), d -> {}, Cancellation.none());

    assertThat(response.text()).isEqualTo("plain");
    assertThat(response.logprobs()).isEmpty();
  }
}
