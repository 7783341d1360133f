package dev.colloquy.model.remote;

import static dev.colloquy.model.remote.FakeOpenAiServer.DONE;
import static dev.colloquy.model.remote.FakeOpenAiServer.errorBody;
import static dev.colloquy.model.remote.FakeOpenAiServer.finish;
import static dev.colloquy.model.remote.FakeOpenAiServer.sse;
import static dev.colloquy.model.remote.FakeOpenAiServer.sseBytes;
import static dev.colloquy.model.remote.FakeOpenAiServer.status;
import static dev.colloquy.model.remote.FakeOpenAiServer.text;
import static dev.colloquy.model.remote.FakeOpenAiServer.toolDeltas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.TruncatedResponseException;
import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.observe.ListeningChatModel;
import dev.colloquy.core.observe.LoggingChatListener;
import dev.colloquy.test.cassette.CassetteMode;
import dev.colloquy.test.cassette.Cassettes;
import dev.colloquy.test.cassette.RequestMatcher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Regression tests for secrets echoed by a server outside the 4xx/5xx path: whatever the server
 * sends back, the configured key (of any shape) must appear in no exception text, cause, stack
 * trace or log line.
 */
class OpenAiSecretRedactionTest {

  private static final ChatRequest HELLO = ChatRequest.of(Message.user("Hello"));

  /** How the model is given its secret. */
  enum Auth {
    BEARER_KEY("sk-proj-Q2x9RfT7uVbN3mLp0aZc8WdE", (builder, key) -> builder.apiKey(key)),
    AZURE_HEX_KEY("0f3a9c7d21b84e6fa5d09c1b7e2f4a68", (builder, key) -> builder.azureApiKey(key)),
    SHORT_KEY("q7z", (builder, key) -> builder.apiKey(key)),
    GATEWAY_TOKEN_HEADER("gw-7Hh2LkPq", (builder, key) -> builder.header("X-Gateway-Token", key));

    final String key;
    final java.util.function.BiFunction<OpenAiChatModel.Builder, String, OpenAiChatModel.Builder>
        configure;

    Auth(
        String key,
        java.util.function.BiFunction<OpenAiChatModel.Builder, String, OpenAiChatModel.Builder>
            configure) {
      this.key = key;
      this.configure = configure;
    }
  }

  /** What the server answers, given the key it echoes, and whether the call streams. */
  record Scenario(
      String name, boolean stream, Function<String, FakeOpenAiServer.Responder[]> answers) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static FakeOpenAiServer.Responder[] one(FakeOpenAiServer.Responder responder) {
    return new FakeOpenAiServer.Responder[] {responder};
  }

  static List<Scenario> scenarios() {
    return List.of(
        new Scenario(
            "200 with an error body, blocking",
            false,
            k ->
                one(
                    status(
                        200,
                        "{\"error\":{\"message\":\"key "
                            + k
                            + " was revoked\",\"type\":\"auth\"}}"))),
        new Scenario(
            "200 with an error body, streaming call",
            true,
            k -> one(status(200, "{\"error\":{\"message\":\"key " + k + " was revoked\"}}"))),
        new Scenario(
            "error object inside the stream",
            true,
            k ->
                one(
                    sse(
                        text("Hi"),
                        "data: {\"error\":{\"message\":\"key " + k + " was revoked\"}}\n\n"))),
        new Scenario(
            "vLLM error object inside the stream",
            true,
            k ->
                one(
                    sse(
                        "data: {\"object\":\"error\",\"message\":\"key "
                            + k
                            + " was revoked\",\"code\":401}\n\n"))),
        new Scenario(
            "event: error with text data",
            true,
            k -> one(sse("event: error\ndata: key " + k + " was revoked\n\n"))),
        new Scenario(
            "event: error with the key split across reads",
            true,
            k -> {
              byte[] all =
                  ("event: error\ndata: {\"message\":\"key " + k + " was revoked\"}\n\n")
                      .getBytes(StandardCharsets.UTF_8);
              int middle = new String(all, StandardCharsets.UTF_8).indexOf(k) + k.length() / 2;
              return one(
                  sseBytes(
                      Duration.ofMillis(5),
                      Arrays.copyOfRange(all, 0, middle),
                      Arrays.copyOfRange(all, middle, all.length)));
            }),
        new Scenario(
            "event: error data split over two data lines",
            true,
            k ->
                one(
                    sse(
                        "event: error\ndata: key "
                            + k.substring(0, k.length() / 2)
                            + "\ndata: "
                            + k.substring(k.length() / 2)
                            + " and "
                            + k
                            + "\n\n"))),
        new Scenario(
            "chunk that is not JSON",
            true,
            k -> one(sse("data: <html>key " + k + " was revoked</html>\n\n"))),
        new Scenario("chunk that is a bare token", true, k -> one(sse("data: " + k + "\n\n"))),
        new Scenario(
            "200 body that is not JSON, blocking",
            false,
            k -> one(status(200, "<html>key " + k + " was revoked</html>"))),
        new Scenario(
            "200 body that is a JSON string, blocking",
            false,
            k -> one(status(200, "\"key " + k + " was revoked\""))),
        new Scenario(
            "200 body without choices, blocking",
            false,
            k -> one(status(200, "{\"detail\":\"key " + k + " was revoked\"}"))),
        new Scenario(
            "401 with the key in its error",
            false,
            k -> one(status(401, errorBody("Incorrect API key provided: " + k)))),
        new Scenario(
            "400 whose error fields and request id quote the key",
            false,
            k ->
                one(
                    status(
                        400,
                        "{\"error\":{\"message\":\"bad\",\"type\":\"t-"
                            + k
                            + "\",\"code\":\"c-"
                            + k
                            + "\",\"param\":\"p-"
                            + k
                            + "\"}}",
                        "x-request-id",
                        "req-" + k))),
        new Scenario(
            "429 quota whose request id quotes the key",
            false,
            k ->
                one(
                    status(
                        429,
                        "{\"error\":{\"message\":\"quota of "
                            + k
                            + "\",\"code\":\"insufficient_quota\"}}",
                        "x-request-id",
                        "req-" + k))),
        new Scenario(
            "503 three times with the key in its error",
            false,
            k ->
                new FakeOpenAiServer.Responder[] {
                  status(503, errorBody("overloaded for " + k)),
                  status(503, errorBody("overloaded for " + k)),
                  status(503, errorBody("overloaded for " + k))
                }),
        new Scenario(
            "text holding the key split across events, then an error event",
            true,
            k ->
                one(
                    sse(
                        text("your key is " + k.substring(0, k.length() / 2)),
                        text(k.substring(k.length() / 2)),
                        "event: error\ndata: {\"message\":\"stopped\"}\n\n"))),
        new Scenario(
            "stream cut after text holding the key",
            true,
            k -> one(sse(text("your key is " + k.substring(0, 2)), text(k.substring(2))))),
        new Scenario(
            "tool call whose name quotes the key",
            true,
            k ->
                one(
                    sse(
                        toolDeltas(
                            "{\"index\":0,\"id\":\"call_"
                                + k
                                + "\",\"function\":{\"name\":\"bad "
                                + k
                                + "!\",\"arguments\":\"{}\"}}"),
                        finish("tool_calls"),
                        DONE))));
  }

  static Stream<Arguments> cases() {
    return Arrays.stream(Auth.values())
        .flatMap(auth -> scenarios().stream().map(s -> Arguments.of(auth, s)));
  }

  private final FakeOpenAiServer server = FakeOpenAiServer.start();
  private final List<String> logLines = new ArrayList<>();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void theConfiguredKeyAppearsInNoExceptionCauseStackTraceOrLogLine(Auth auth, Scenario scenario) {
    OpenAiChatModel remote =
        auth.configure.apply(server.model(new RecordingSleeper()), auth.key).build();
    ChatModel model =
        ListeningChatModel.of(
            "remote", remote, LoggingChatListener.of(recordingLogger(), PiiRedactor.all()));
    server.enqueue(scenario.answers().apply(auth.key));

    Throwable thrown =
        catchThrowable(
            () ->
                model.generate(
                    HELLO,
                    scenario.stream() ? delta -> {} : StreamListener.NONE,
                    Cancellation.none()));

    assertThat(thrown).as("the call fails").isNotNull();
    String everything = describe(thrown) + "\n" + String.join("\n", logLines);
    assertThat(everything)
        .as("what the caller and the logs see")
        .doesNotContain(auth.key)
        .contains("[redacted]");
  }

  @ParameterizedTest
  @EnumSource(Auth.class)
  void theConfiguredKeyQuotedInAMalformedStatusLineStaysOutOfTheCause(Auth auth) throws Exception {
    RawServer.Connection badStatus =
        socket -> RawServer.write(socket, "HTTP/1.1 2x0 key " + auth.key + "\r\n\r\n");
    try (RawServer raw = new RawServer(badStatus, badStatus, badStatus)) {
      OpenAiChatModel remote =
          auth.configure
              .apply(
                  new OpenAiChatModel.Builder(name -> null)
                      .baseUrl(raw.baseUrl())
                      .model("m")
                      .sleeper(new RecordingSleeper()),
                  auth.key)
              .build();

      Throwable thrown = catchThrowable(() -> remote.chat(HELLO));

      assertThat(thrown).isInstanceOf(RemoteUnavailableException.class);
      assertThat(describe(thrown)).doesNotContain(auth.key).contains("[redacted]");
    }
  }

  @ParameterizedTest
  @EnumSource(Auth.class)
  void aCassetteRecordedFromThisModelHoldsNoKeyEvenSplitAcrossEvents(Auth auth, @TempDir Path dir)
      throws Exception {
    OpenAiChatModel remote =
        auth.configure.apply(server.model(new RecordingSleeper()), auth.key).build();
    Path file = dir.resolve("cassette.json");
    ChatModel recording =
        Cassettes.model(file, CassetteMode.RECORD, RequestMatcher.exact(), () -> remote);
    String key = auth.key;
    server.enqueue(
        sse(
            text("your key is " + key.substring(0, 2)),
            text(key.substring(2)),
            text(" ok"),
            finish("stop"),
            DONE));
    server.enqueue(status(401, errorBody("Incorrect API key provided: " + key)));

    recording.generate(HELLO, delta -> {}, Cancellation.none());
    catchThrowable(() -> recording.chat(HELLO));

    assertThat(remote.secretRedactor()).isPresent();
    assertThat(Files.readString(file)).doesNotContain(key).contains("your key is [REDACTED] ok");
  }

  /**
   * Everything a caller or a log could print of a failure: messages, accessors, causes and stack
   * traces.
   */
  private static String describe(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    out.append(thrown.toString())
        .append('\n')
        .append(String.valueOf(thrown.getMessage()))
        .append('\n');
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      out.append(String.valueOf(t)).append('\n');
      if (t instanceof RemoteStreamErrorException e) {
        out.append(e.details().toString()).append('\n').append(e.partialText()).append('\n');
      } else if (t instanceof RemoteRejectedException e) {
        out.append(e.details().toString()).append('\n');
      } else if (t instanceof RemoteUnavailableException e) {
        out.append(e.details().toString()).append('\n');
      } else if (t instanceof TruncatedResponseException e) {
        out.append(e.partialText()).append('\n');
      }
      for (Throwable suppressed : t.getSuppressed()) {
        out.append(describe(suppressed));
      }
    }
    return out.toString();
  }

  /**
   * An SLF4J logger with every level on that keeps each formatted line and the stack trace of a
   * logged throwable.
   */
  private Logger recordingLogger() {
    UnaryOperator<Object[]> copy = args -> args == null ? new Object[0] : args;
    return (Logger)
        Proxy.newProxyInstance(
            Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class},
            (proxy, method, rawArgs) -> {
              Object[] args = copy.apply(rawArgs);
              String name = method.getName();
              if (name.startsWith("is") && method.getReturnType() == boolean.class) {
                return true;
              }
              if (List.of("trace", "debug", "info", "warn", "error").contains(name)
                  && args.length > 0
                  && args[0] instanceof String format) {
                Object[] rest =
                    args.length == 2 && args[1] instanceof Object[] array
                        ? array
                        : Arrays.copyOfRange(args, 1, args.length);
                logLines.add(MessageFormatter.arrayFormat(format, rest).getMessage());
                for (Object arg : rest) {
                  if (arg instanceof Throwable t) {
                    logLines.add(describe(t));
                  }
                }
              }
              if (name.equals("getName")) {
                return "recording";
              }
              return method.getReturnType() == boolean.class ? false : null;
            });
  }
}
