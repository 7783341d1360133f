package dev.colloquy.model.remote;

import static dev.colloquy.model.remote.FakeOpenAiServer.DONE;
import static dev.colloquy.model.remote.FakeOpenAiServer.finish;
import static dev.colloquy.model.remote.FakeOpenAiServer.sse;
import static dev.colloquy.model.remote.FakeOpenAiServer.sseBytes;
import static dev.colloquy.model.remote.FakeOpenAiServer.status;
import static dev.colloquy.model.remote.FakeOpenAiServer.text;
import static dev.colloquy.model.remote.FakeOpenAiServer.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.TruncatedResponseException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.TokenUsage;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiStreamingTest {

  private final FakeOpenAiServer server = FakeOpenAiServer.start();
  private final RecordingSleeper sleeper = new RecordingSleeper();
  private final OpenAiChatModel model = server.model(sleeper).build();
  private final List<String> deltas = new ArrayList<>();
  private static final ChatRequest HELLO = ChatRequest.of(Message.user("Hello"));

  @AfterEach
  void stopServer() {
    server.close();
  }

  private ChatResponse stream() {
    return model.generate(HELLO, deltas::add, Cancellation.none());
  }

  @Test
  void streamsTextDeltasUsageAndModelId() {
    server.enqueue(sse(text("Hel"), text("lo!"), finish("stop"), usage(9, 2), DONE));

    ChatResponse response = stream();

    assertThat(deltas).containsExactly("Hel", "lo!");
    assertThat(response.text()).isEqualTo("Hello!");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(new TokenUsage(9, 2));
    assertThat(response.modelId()).isEqualTo("tiny-1");
    assertThat(server.lastRequest().body().path("stream").asBoolean()).isTrue();
    assertThat(server.lastRequest().body().path("stream_options").path("include_usage").asBoolean())
        .isTrue();
  }

  @Test
  void blockingCallsAskForOneJsonBodyAndParseItTheSameWay() {
    ChatResponse response = model.chat(HELLO);

    assertThat(response.text()).isEqualTo(TinyModel.STORY);
    assertThat(response.usage().outputTokens()).isPositive();
    assertThat(server.lastRequest().body().has("stream")).isFalse();
    assertThat(server.lastRequest().headers().getFirst("Accept")).isEqualTo("application/json");
  }

  @Test
  void acceptsAJsonBodyFromAServerThatIgnoresStreaming() {
    server.enqueue(
        status(
            200,
            "{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"whole\"},"
                + "\"finish_reason\":\"stop\"}]}"));

    assertThat(stream().text()).isEqualTo("whole");
    assertThat(deltas).containsExactly("whole");
  }

  @Test
  void reassemblesEventsSplitAtEveryKindOfByteBoundaryOnTheWire() {
    byte[] all =
        (text("h\u00e9 \u4e16\uD83D\uDE00") + ": ping\r\n\r\n" + finish("stop") + DONE)
            .replace("\n\n", "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    List<byte[]> pieces = new ArrayList<>();
    for (int i = 0; i < all.length; i += 7) {
      byte[] piece = new byte[Math.min(7, all.length - i)];
      System.arraycopy(all, i, piece, 0, piece.length);
      pieces.add(piece);
    }
    server.enqueue(sseBytes(Duration.ofMillis(1), pieces.toArray(byte[][]::new)));

    assertThat(stream().text()).isEqualTo("h\u00e9 \u4e16\uD83D\uDE00");
  }

  @Test
  void neverSplitsASurrogatePairAcrossDeltas() {
    // The pair is cut between two JSON-escaped halves, as servers that stream per token can do.
    String first = text("a").replace("\"a\"", "\"a\\ud83d\"");
    String second = text("b").replace("\"b\"", "\"\\ude00b\"");
    server.enqueue(sse(first, second, finish("stop"), DONE));

    ChatResponse response = stream();

    assertThat(deltas).containsExactly("a", "\uD83D\uDE00b");
    assertThat(response.text()).isEqualTo("a\uD83D\uDE00b");
  }

  @Test
  void acceptsAStreamThatEndsWithAFinishReasonButNoDoneMarker() {
    server.enqueue(sse(text("ok"), finish("length")));

    ChatResponse response = stream();

    assertThat(response.text()).isEqualTo("ok");
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void returnsPromptlyWhenAServerHoldsTheConnectionOpenAfterTheDoneMarker() {
    OpenAiChatModel patient =
        server.model(sleeper).streamIdleTimeout(Duration.ofSeconds(20)).build();
    server.enqueue(FakeOpenAiServer.stall(Duration.ofSeconds(5), text("ok"), finish("stop"), DONE));
    long start = System.nanoTime();

    ChatResponse response = patient.generate(HELLO, deltas::add, Cancellation.none());

    assertThat(response.text()).isEqualTo("ok");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void waitsPastTheFinishReasonForAUsageChunkThatComesLate() {
    server.enqueue(
        (exchange, request) -> {
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write((text("ok") + finish("stop")).getBytes(StandardCharsets.UTF_8));
          out.flush();
          FakeOpenAiServer.pauseFor(Duration.ofMillis(1500));
          out.write((usage(12, 3) + DONE).getBytes(StandardCharsets.UTF_8));
          out.flush();
        });

    ChatResponse response = stream();

    assertThat(response.text()).isEqualTo("ok");
    assertThat(response.usage()).isEqualTo(new TokenUsage(12, 3));
  }

  @Test
  void warnsWhenUsageWasAskedForButNeverCame() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("dev.colloquy.model.remote");
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      server.enqueue(
          sse(text("ok"), finish("stop"), usage(5, 1), DONE),
          sse(text("ok"), finish("stop"), DONE));

      assertThat(stream().usage()).isEqualTo(new TokenUsage(5, 1));
      assertThat(records).isEmpty();
      assertThat(stream().usage()).isEqualTo(TokenUsage.ZERO);
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(records)
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.getLevel()).isEqualTo(Level.WARNING);
              assertThat(new SimpleFormatter().formatMessage(record))
                  .contains(
                      "sent no token usage for model tiny",
                      "stream_options.include_usage",
                      "under-count");
            });
  }

  @Test
  void ignoresWhatASeverSendsAfterTheDoneMarker() {
    server.enqueue(sse(text("ok"), DONE, text(" more")));

    assertThat(stream().text()).isEqualTo("ok");
  }

  @Test
  void reportsATruncatedStreamWithItsPartialTextAndDoesNotRetryIt() {
    server.enqueue(sse(text("partial "), text("text")));

    assertThatThrownBy(this::stream)
        .isInstanceOfSatisfying(
            TruncatedResponseException.class,
            e -> assertThat(e.partialText()).isEqualTo("partial text"))
        .hasMessageContaining("ended before its [DONE]");
    assertThat(server.served()).isEqualTo(1);
  }

  @Test
  void retriesAStreamCutBeforeItsFirstToken() {
    server.enqueue(sse(": ping\n\n"));

    assertThat(stream().text()).isEqualTo(TinyModel.STORY);
    assertThat(server.served()).isEqualTo(2);
    assertThat(sleeper.waits()).hasSize(1);
  }

  @Test
  void raisesTheServersMessageForAnErrorObjectInsideA200Stream() {
    server.enqueue(
        sse(
            text("Hi"),
            "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n"));

    assertThatThrownBy(this::stream)
        .isInstanceOfSatisfying(
            RemoteStreamErrorException.class,
            e -> {
              assertThat(e.errorText()).isEqualTo("model overloaded");
              assertThat(e.partialText()).isEqualTo("Hi");
            })
        .hasMessageContaining("model overloaded");
    assertThat(server.served()).isEqualTo(1);
  }

  @Test
  void raisesAnErrorEventAndVllmsErrorObjectAlike() {
    server.enqueue(sse("event: error\ndata: {\"message\":\"bad things\"}\n\n"));
    server.enqueue(
        sse("data: {\"object\":\"error\",\"message\":\"context too long\",\"code\":400}\n\n"));

    assertThatThrownBy(this::stream)
        .isInstanceOf(RemoteStreamErrorException.class)
        .hasMessageContaining("bad things");
    assertThatThrownBy(this::stream)
        .isInstanceOf(RemoteStreamErrorException.class)
        .hasMessageContaining("context too long");
  }

  @Test
  void endsTheStreamWithAClearErrorWhenALineExceedsTheLimit() {
    OpenAiChatModel limited = server.model(sleeper).maxLineLength(1024).build();
    server.enqueue(sse(text("x".repeat(2000)), DONE));

    assertThatThrownBy(() -> limited.generate(HELLO, deltas::add, Cancellation.none()))
        .isInstanceOf(RemoteProtocolException.class)
        .hasMessageContaining("limit of 1024 bytes");
  }

  @Test
  void reportsAChunkThatIsNotJsonWithItsText() {
    server.enqueue(sse("data: <html>gateway</html>\n\n"));

    assertThatThrownBy(this::stream)
        .isInstanceOf(RemoteProtocolException.class)
        .hasMessageContaining("<html>gateway</html>")
        .hasMessageContaining("baseUrl");
  }

  @Test
  void mapsEachFinishReason() {
    String[][] table = {
      {"stop", "STOP"},
      {"length", "LENGTH"},
      {"tool_calls", "TOOL_CALLS"},
      {"content_filter", "CONTENT_FILTER"},
      {"something_new", "OTHER"}
    };
    for (String[] row : table) {
      server.enqueue(sse(text("x"), finish(row[0]), DONE));

      assertThat(stream().finishReason()).as(row[0]).isEqualTo(FinishReason.valueOf(row[1]));
    }
  }
}
