package dev.colloquy.model.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.TruncatedResponseException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiConnectionTest {

  private static final ChatRequest HELLO = ChatRequest.of(Message.user("Hello"));

  private final FakeOpenAiServer server = FakeOpenAiServer.start();
  private final RecordingSleeper sleeper = new RecordingSleeper();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static Set<Thread> threads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !t.getName().startsWith("raw-test") && !t.getName().startsWith("fake-openai"))
        .collect(Collectors.toSet());
  }

  /** Writes pings until the client closes the connection, then counts the latch down. */
  private static RawServer.Connection pingUntilClosed(CountDownLatch closed, String... before) {
    return socket -> {
      RawServer.write(socket, RawServer.STREAM_HEAD);
      for (String chunk : before) {
        RawServer.write(socket, RawServer.chunk(chunk));
      }
      try {
        for (int i = 0; i < 500; i++) {
          Thread.sleep(10);
          RawServer.write(socket, RawServer.chunk(": ping\n\n"));
        }
      } catch (IOException e) {
        closed.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void abandonsAStreamThatGoesIdleAfterSomeTextAndKeepsThePartialText() {
    OpenAiChatModel model = server.model(sleeper).streamIdleTimeout(Duration.ofMillis(300)).build();
    server.enqueue(
        FakeOpenAiServer.stall(
            Duration.ofSeconds(3),
            FakeOpenAiServer.text("Your order "),
            FakeOpenAiServer.text("ships")));
    List<String> deltas = new ArrayList<>();
    long start = System.nanoTime();

    assertThatThrownBy(() -> model.generate(HELLO, deltas::add, Cancellation.none()))
        .isInstanceOfSatisfying(
            TruncatedResponseException.class,
            e -> assertThat(e.partialText()).isEqualTo("Your order ships"))
        .hasMessageContaining("streamIdleTimeout")
        .hasMessageContaining("partialText()");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(deltas).containsExactly("Your order ", "ships");
    assertThat(server.served()).as("a started reply is not retried").isEqualTo(1);
  }

  @Test
  void aStreamCutByTheRequestTimeoutAfterSomeTextKeepsThePartialText() {
    OpenAiChatModel model = server.model(sleeper).requestTimeout(Duration.ofMillis(400)).build();
    server.enqueue(FakeOpenAiServer.stall(Duration.ofSeconds(3), FakeOpenAiServer.text("half")));

    assertThatThrownBy(() -> model.generate(HELLO, delta -> {}, Cancellation.none()))
        .isInstanceOfSatisfying(
            TruncatedResponseException.class, e -> assertThat(e.partialText()).isEqualTo("half"))
        .hasMessageContaining("requestTimeout");
  }

  @Test
  void retriesAnIdleStreamThatHadDeliveredNothing() {
    OpenAiChatModel model = server.model(sleeper).streamIdleTimeout(Duration.ofMillis(200)).build();
    server.enqueue(FakeOpenAiServer.stall(Duration.ofSeconds(3)));

    ChatResponse response = model.generate(HELLO, delta -> {}, Cancellation.none());

    assertThat(response.text()).isEqualTo(TinyModel.STORY);
    assertThat(sleeper.waits()).hasSize(1);
  }

  @Test
  void endsABlockingCallThatOutlivesTheRequestTimeout() {
    OpenAiChatModel model =
        server.model(sleeper).maxRetries(0).requestTimeout(Duration.ofMillis(300)).build();
    server.enqueue((exchange, request) -> FakeOpenAiServer.pauseFor(Duration.ofSeconds(3)));

    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("requestTimeout");
  }

  @Test
  void cancellingABlockingCallEndsItAtOnce() {
    OpenAiChatModel model = server.model(sleeper).build();
    server.enqueue((exchange, request) -> FakeOpenAiServer.pauseFor(Duration.ofSeconds(3)));
    Cancellation cancellation = Cancellation.create();
    Executors.newSingleThreadScheduledExecutor()
        .schedule(cancellation::cancel, 150, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();

    assertThatThrownBy(
            () -> model.generate(HELLO, dev.colloquy.core.model.StreamListener.NONE, cancellation))
        .isInstanceOf(CancelledException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(server.served()).isEqualTo(1);
  }

  @Test
  void cancellingAStreamClosesTheConnectionAtOnceAndLeavesNoThreadBehind() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (RawServer raw =
        new RawServer(
            socket ->
                RawServer.write(
                    socket,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"),
            pingUntilClosed(closed, FakeOpenAiServer.text("first")))) {
      OpenAiChatModel model =
          new OpenAiChatModel.Builder(name -> null).baseUrl(raw.baseUrl()).model("m").build();
      assertThatThrownBy(() -> model.chat(HELLO))
          .isInstanceOf(RemoteProtocolException.class)
          .hasMessageContaining("no choices");
      Set<Thread> before = threads();
      Cancellation cancellation = Cancellation.create();
      List<String> deltas = new ArrayList<>();
      ExecutorService canceller = Executors.newSingleThreadExecutor();
      long[] cancelledAt = new long[1];

      Future<?> call =
          canceller.submit(
              () -> {
                FakeOpenAiServer.pauseFor(Duration.ofMillis(150));
                cancelledAt[0] = System.nanoTime();
                cancellation.cancel();
              });
      assertThatThrownBy(() -> model.generate(HELLO, deltas::add, cancellation))
          .isInstanceOf(CancelledException.class);
      long returnedAt = System.nanoTime();
      call.get();
      canceller.shutdown();

      assertThat(deltas).containsExactly("first");
      assertThat(Duration.ofNanos(returnedAt - cancelledAt[0])).isLessThan(Duration.ofMillis(500));
      assertThat(closed.await(2, TimeUnit.SECONDS))
          .as("the server saw the connection closed")
          .isTrue();
      assertThat(canceller.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
      Set<Thread> after = threads();
      after.removeAll(before);
      assertThat(after).as("threads started by the call").allMatch(t -> !t.isAlive());
    }
  }

  @Test
  void cancellingWhileWaitingToRetryStopsTheWait() {
    OpenAiChatModel model =
        new OpenAiChatModel.Builder(name -> null).baseUrl(server.baseUrl()).model("m").build();
    server.enqueue(FakeOpenAiServer.status(503, "{}", "retry-after", "30"));
    Cancellation cancellation = Cancellation.create();
    Executors.newSingleThreadScheduledExecutor()
        .schedule(cancellation::cancel, 200, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();

    assertThatThrownBy(() -> model.generate(HELLO, delta -> {}, cancellation))
        .isInstanceOf(CancelledException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(server.served()).isEqualTo(1);
  }

  @Test
  void closesAFailedResponseBeforeRetrying() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    RawServer.Connection hugeError =
        socket -> {
          RawServer.write(
              socket, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100000000\r\n\r\n");
          byte[] filler = new byte[16 * 1024];
          try {
            for (int i = 0; i < 6000; i++) {
              socket.getOutputStream().write(filler);
            }
          } catch (IOException e) {
            closed.countDown();
          }
        };
    RawServer.Connection ok =
        socket -> {
          String body =
              "{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}";
          RawServer.write(
              socket,
              "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body);
        };
    try (RawServer raw = new RawServer(hugeError, ok)) {
      OpenAiChatModel model =
          new OpenAiChatModel.Builder(name -> null)
              .baseUrl(raw.baseUrl())
              .model("m")
              .sleeper(sleeper)
              .build();

      assertThat(model.chat(HELLO).text()).isEqualTo("ok");
      assertThat(closed.await(2, TimeUnit.SECONDS))
          .as("the failed response's connection was closed")
          .isTrue();
      assertThat(raw.accepted()).isEqualTo(2);
    }
  }

  @Test
  void retriesAConnectionResetBeforeTheResponse() throws Exception {
    try (RawServer raw = new RawServer(RawServer::reset)) {
      OpenAiChatModel model =
          new OpenAiChatModel.Builder(name -> null)
              .baseUrl(raw.baseUrl())
              .model("m")
              .sleeper(sleeper)
              .maxRetries(1)
              .build();

      assertThatThrownBy(() -> model.chat(HELLO)).isInstanceOf(RemoteUnavailableException.class);
      assertThat(raw.accepted()).isEqualTo(2);
      assertThat(sleeper.waits()).hasSize(1);
    }
  }

  @Test
  void serves200ConcurrentRequestsFromOneInstance() throws Exception {
    OpenAiChatModel model = server.model(sleeper).maxRetries(0).build();
    ExecutorService callers = Executors.newFixedThreadPool(200);
    try {
      List<Future<String>> replies = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      for (int i = 0; i < 200; i++) {
        boolean stream = i % 2 == 0;
        replies.add(
            callers.submit(
                () -> {
                  go.await();
                  return stream
                      ? model.generate(HELLO, delta -> {}, Cancellation.none()).text()
                      : model.chat(HELLO).text();
                }));
      }
      go.countDown();
      for (Future<String> reply : replies) {
        assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo(TinyModel.STORY);
      }
      assertThat(server.served()).isEqualTo(200);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void closingTheModelEndsItsClientThreadAndLaterCallsFailClearly() throws Exception {
    Set<Thread> before = httpClientThreads();
    OpenAiChatModel model = server.model(sleeper).build();
    ChatModel once = model.withoutOwnRetries().orElseThrow();
    assertThat(model.chat(HELLO).text()).isEqualTo(TinyModel.STORY);
    Set<Thread> ours = httpClientThreads();
    ours.removeAll(before);
    assertThat(ours).as("the model's selector thread").isNotEmpty();

    model.close();
    model.close();

    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was closed; build a new one");
    assertThatThrownBy(() -> once.generate(HELLO, delta -> {}, Cancellation.none()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was closed");
    long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (ours.stream().anyMatch(Thread::isAlive) && System.nanoTime() < giveUp) {
      System.gc(); // on Java 17 the selector thread ends once the dropped client is collected
      Thread.sleep(100);
    }
    assertThat(ours).as("threads of the closed model").noneMatch(Thread::isAlive);
    assertThat(server.served()).isEqualTo(1);
  }

  private static Set<Thread> httpClientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("HttpClient-"))
        .collect(Collectors.toCollection(java.util.HashSet::new));
  }

  @Test
  void aListenerThatThrowsAbortsTheCallWithoutRetry() {
    OpenAiChatModel model = server.model(sleeper).build();

    assertThatThrownBy(
            () ->
                model.generate(
                    HELLO,
                    delta -> {
                      throw new IllegalStateException("listener failed");
                    },
                    Cancellation.none()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("listener failed");
    assertThat(server.served()).isEqualTo(1);
  }
}
