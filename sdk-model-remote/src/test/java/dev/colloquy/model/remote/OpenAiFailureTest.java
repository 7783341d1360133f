package dev.colloquy.model.remote;

import static dev.colloquy.model.remote.FakeOpenAiServer.errorBody;
import static dev.colloquy.model.remote.FakeOpenAiServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.model.remote.internal.http.RetryPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiFailureTest {

  private static final ChatRequest HELLO = ChatRequest.of(Message.user("Hello"));
  private static final String KEY = "sk-test-secret-0123456789";
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final FakeOpenAiServer server = FakeOpenAiServer.start();
  private final RecordingSleeper sleeper = new RecordingSleeper();
  private final OpenAiChatModel model =
      server.model(sleeper).apiKey(KEY).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 422})
  void rejectsAtOnceWithTheStatusAndTheServersErrorText(int status) {
    server.enqueue(status(status, errorBody("Incorrect API key provided: " + KEY)));

    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOfSatisfying(
            RemoteRejectedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.errorText()).isEqualTo("Incorrect API key provided: [redacted]");
            })
        .hasMessageContaining(server.baseUrl() + "/chat/completions")
        .hasMessageContaining(String.valueOf(status))
        .hasMessageNotContaining(KEY);
    assertThat(server.served()).isEqualTo(1);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void tellsAnExhaustedQuotaWhichIsNotRetriedFromARateLimitWhichIs() {
    server.enqueue(
        status(
            429,
            "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":"
                + "\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}",
            "x-request-id",
            "req_quota1"));

    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOfSatisfying(
            RemoteQuotaExceededException.class,
            e -> {
              assertThat(e).isInstanceOf(NonRetryableException.class);
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.errorCode()).hasValue("insufficient_quota");
              assertThat(e.errorType()).hasValue("insufficient_quota");
              assertThat(e.errorParam()).isEmpty();
              assertThat(e.requestId()).hasValue("req_quota1");
            })
        .hasMessageContaining("request id req_quota1")
        .hasMessageContaining("billing");
    assertThat(server.served()).isEqualTo(1);

    server.enqueue(
        status(
            429,
            "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                + "\"code\":\"rate_limit_exceeded\"}}",
            "x-request-id",
            "req_rate1",
            "retry-after",
            "2"));
    RemoteRateLimitException[] first = new RemoteRateLimitException[1];
    OpenAiChatModel once = server.model(sleeper).maxRetries(0).build();
    assertThatThrownBy(() -> once.chat(HELLO))
        .isInstanceOfSatisfying(RemoteRateLimitException.class, e -> first[0] = e);
    assertThat(first[0]).isInstanceOf(RetryableException.class);
    assertThat(first[0].errorCode()).hasValue("rate_limit_exceeded");
    assertThat(first[0].requestId()).hasValue("req_rate1");
    assertThat(first[0].retryAfter()).hasValue(Duration.ofSeconds(2));

    server.enqueue(status(429, errorBody("Rate limit reached")));
    assertThat(model.chat(HELLO).text()).isEqualTo(TinyModel.STORY);
    assertThat(server.served()).isEqualTo(4);
  }

  @Test
  void tellsAContextLengthErrorFromOther400sAndKeepsTheServersErrorFields() {
    server.enqueue(
        status(
            400,
            "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
            "x-request-id",
            "req_ctx1"));
    server.enqueue(
        status(
            400,
            "{\"error\":{\"message\":\"Unknown parameter: 'foo'.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"foo\",\"code\":\"unknown_parameter\"}}"));
    server.enqueue(
        status(
            400,
            "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 "
                + "tokens. However, you requested 5000 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"));

    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOfSatisfying(
            RemoteContextLengthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errorType()).hasValue("invalid_request_error");
              assertThat(e.errorCode()).hasValue("context_length_exceeded");
              assertThat(e.errorParam()).hasValue("messages");
              assertThat(e.requestId()).hasValue("req_ctx1");
            })
        .hasMessageContaining("maxTokens")
        .hasMessageContaining(
            "[type invalid_request_error, code context_length_exceeded, param messages, request id req_ctx1]");
    assertThatThrownBy(() -> model.chat(HELLO))
        .isExactlyInstanceOf(RemoteRejectedException.class)
        .satisfies(e -> assertThat(((RemoteRejectedException) e).errorParam()).hasValue("foo"));
    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOfSatisfying(
            RemoteContextLengthException.class,
            e -> assertThat(e.errorType()).hasValue("BadRequestError"));
  }

  @Test
  void keepsTheServersErrorFieldsAndRequestIdOnAnErrorInsideA200Stream() {
    server.enqueue(
        (exchange, request) -> {
          exchange.getResponseHeaders().add("x-request-id", "req_stream1");
          FakeOpenAiServer.sse(
                  FakeOpenAiServer.text("Hi"),
                  "data: {\"error\":{\"message\":\"overloaded\","
                      + "\"type\":\"server_error\",\"code\":\"overloaded\"}}\n\n")
              .respond(exchange, request);
        });

    assertThatThrownBy(
            () -> model.generate(HELLO, delta -> {}, dev.colloquy.core.Cancellation.none()))
        .isInstanceOfSatisfying(
            RemoteStreamErrorException.class,
            e -> {
              assertThat(e.errorType()).hasValue("server_error");
              assertThat(e.errorCode()).hasValue("overloaded");
              assertThat(e.requestId()).hasValue("req_stream1");
              assertThat(e.partialText()).isEqualTo("Hi");
            })
        .hasMessageContaining("request id req_stream1");
  }

  @Test
  void showsTheRawBodyWhenTheErrorIsNotJson() {
    server.enqueue(status(404, "<html>Not Found</html>"));

    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOfSatisfying(
            RemoteRejectedException.class,
            e -> assertThat(e.errorText()).isEqualTo("<html>Not Found</html>"))
        .hasMessageContaining("Check baseUrl");
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504})
  void retriesRetryableStatusesWithBackoffAndThenSucceeds(int status) {
    server.enqueue(status(status, errorBody("busy")), status(status, errorBody("busy")));

    assertThat(model.chat(HELLO).text()).isEqualTo(TinyModel.STORY);
    assertThat(server.served()).isEqualTo(3);
    assertThat(sleeper.waits()).hasSize(2);
    assertThat(sleeper.waits().get(0)).isBetween(Duration.ofMillis(375), Duration.ofMillis(500));
    assertThat(sleeper.waits().get(1)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1000));
  }

  @Test
  void givesUpAfterMaxRetriesWithTheLastErrorAndTheEarlierOnesSuppressed() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(status(503, errorBody("overloaded " + i)));
    }

    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOfSatisfying(
            RemoteUnavailableException.class,
            e -> {
              assertThat(e.status()).hasValue(503);
              assertThat(e.errorText()).isEqualTo("overloaded 2");
              assertThat(e.getSuppressed()).hasSize(2);
            });
    assertThat(server.served()).isEqualTo(3);
  }

  @Test
  void makesExactlyOneAttemptWithMaxRetriesZero() {
    OpenAiChatModel once = server.model(sleeper).maxRetries(0).build();
    server.enqueue(status(500, errorBody("boom")));

    assertThatThrownBy(() -> once.chat(HELLO)).isInstanceOf(RemoteUnavailableException.class);
    assertThat(server.served()).isEqualTo(1);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void backsOffFromHalfASecondDoublingToAnEightSecondCapWithJitter() {
    List<Long> lowest =
        List.of(1, 2, 3, 4, 5, 6, 10).stream()
            .map(retry -> RetryPolicy.backoff(retry, 0.0).toMillis())
            .toList();
    List<Long> highest =
        List.of(1, 2, 3, 4, 5, 6, 10).stream()
            .map(retry -> RetryPolicy.backoff(retry, 0.999_999).toMillis())
            .toList();

    assertThat(lowest).containsExactly(375L, 750L, 1500L, 3000L, 6000L, 6000L, 6000L);
    assertThat(highest).containsExactly(499L, 999L, 1999L, 3999L, 7999L, 7999L, 7999L);
  }

  static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  /** The Retry-After table: header, value, the wait expected (or "backoff"). */
  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "retry-after-ms | 1500        | PT1.5S",
        "retry-after-ms | 250.5       | PT0.25S",
        "retry-after-ms | 0           | backoff",
        "retry-after-ms | -20         | backoff",
        "retry-after-ms | soon        | backoff",
        "retry-after    | 3           | PT3S",
        "retry-after    | 0           | backoff",
        "retry-after    | -1          | backoff",
        "retry-after    | later       | backoff",
        "retry-after    | DATE+7      | PT7S",
        "retry-after    | DATE-30     | backoff",
      })
  void honoursASaneRetryAfterAndFallsBackToBackoffOtherwise(
      String header, String value, String expected) {
    String headerValue =
        value.startsWith("DATE")
            ? httpDate(NOW.plusSeconds(Long.parseLong(value.substring(4))))
            : value;
    server.enqueue(status(429, errorBody("slow down"), header, headerValue));

    model.chat(HELLO);

    Duration wait = sleeper.waits().get(0);
    if (expected.equals("backoff")) {
      assertThat(wait).isBetween(Duration.ofMillis(375), Duration.ofMillis(500));
    } else {
      assertThat(wait).isEqualTo(Duration.parse(expected));
    }
  }

  @Test
  void prefersRetryAfterMsOverRetryAfter() {
    server.enqueue(status(429, errorBody("slow"), "retry-after-ms", "1200", "retry-after", "9"));

    model.chat(HELLO);

    assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(1200));
  }

  @Test
  void doesNotRetryAWaitOverTheCapAndExposesTheRequestedWait() {
    OpenAiChatModel capped = server.model(sleeper).maxRetryWait(Duration.ofSeconds(30)).build();
    server.enqueue(status(429, errorBody("quota"), "retry-after", "120"));

    assertThatThrownBy(() -> capped.chat(HELLO))
        .isInstanceOfSatisfying(
            RemoteUnavailableException.class,
            e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(120)))
        .hasMessageContaining("PT2M");
    assertThat(server.served()).isEqualTo(1);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void retriesARefusedConnectionAndThenReportsIt() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    OpenAiChatModel nowhere =
        new OpenAiChatModel.Builder(name -> null)
            .baseUrl("http://127.0.0.1:" + port + "/v1")
            .model("m")
            .sleeper(sleeper)
            .build();

    assertThatThrownBy(() -> nowhere.chat(HELLO))
        .isInstanceOfSatisfying(
            RemoteUnavailableException.class, e -> assertThat(e.status()).isEmpty())
        .hasMessageContaining("refused");
    assertThat(sleeper.waits()).hasSize(2);
  }

  @Test
  void neverRetriesOnceTheStreamHasDeliveredItsFirstToken() throws IOException {
    try (RawServer raw =
        new RawServer(
            socket -> {
              RawServer.write(
                  socket, RawServer.STREAM_HEAD + RawServer.chunk(FakeOpenAiServer.text("first")));
              RawServer.reset(socket);
            })) {
      OpenAiChatModel remote =
          new OpenAiChatModel.Builder(name -> null)
              .baseUrl(raw.baseUrl())
              .model("m")
              .sleeper(sleeper)
              .build();
      List<String> deltas = new java.util.ArrayList<>();

      assertThatThrownBy(
              () -> remote.generate(HELLO, deltas::add, dev.colloquy.core.Cancellation.none()))
          .isInstanceOfSatisfying(
              dev.colloquy.core.TruncatedResponseException.class,
              e -> assertThat(e.partialText()).isEqualTo("first"));
      assertThat(deltas).containsExactly("first");
      assertThat(raw.accepted()).isEqualTo(1);
      assertThat(sleeper.waits()).isEmpty();
    }
  }
}
