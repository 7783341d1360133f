package dev.colloquy.model.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.StreamListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connect that hangs, on real loopback sockets: a listener with backlog 1 that never accepts, its
 * accept queue filled by plain client sockets. Linux then drops further SYNs (it does not refuse
 * them unless {@code net.ipv4.tcp_abort_on_overflow} is 1), so the next connect hangs until the
 * client's connect timeout fires.
 */
class OpenAiConnectTimeoutTest {

  private static final ChatRequest HELLO = ChatRequest.of(Message.user("Hello"));
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);

  private ServerSocket neverAccepts;
  private final List<Socket> queued = new ArrayList<>();
  private final RecordingSleeper sleeper = new RecordingSleeper();

  @BeforeEach
  void fillTheAcceptQueue() throws IOException {
    neverAccepts = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    boolean full = false;
    for (int i = 0; i < 8 && !full; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(neverAccepts.getLocalSocketAddress(), (int) PROBE_TIMEOUT.toMillis());
        queued.add(socket);
      } catch (SocketTimeoutException e) {
        socket.close();
        full = true; // this SYN was dropped: so will the model's be
      }
    }
    // The only assumption here is the environment's: a kernel that drops SYNs to a full accept
    // queue (Linux with tcp_abort_on_overflow=0 does, after backlog + 1 connections). Without
    // that, no connect can be made to hang on loopback and the tests below would prove nothing.
    assumeTrue(
        full, "a connect to a listener with a full accept queue did not hang on this machine");
  }

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket socket : queued) {
      socket.close();
    }
    neverAccepts.close();
  }

  private OpenAiChatModel.Builder model() {
    return new OpenAiChatModel.Builder(name -> null)
        .baseUrl(baseUrl())
        .model("m")
        .connectTimeout(CONNECT_TIMEOUT)
        .requestTimeout(REQUEST_TIMEOUT);
  }

  private String baseUrl() {
    InetSocketAddress address = (InetSocketAddress) neverAccepts.getLocalSocketAddress();
    return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/v1";
  }

  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet();
  }

  private static void assertNoNewLiveThreads(Set<Thread> before) {
    List<Thread> started =
        liveThreads().stream().filter(t -> !before.contains(t) && t.isAlive()).toList();
    assertThat(started).as("threads started by the call and still alive").isEmpty();
  }

  @Test
  void aConnectThatHangsFailsAfterTheConnectTimeoutAsRetryable() {
    OpenAiChatModel model = model().maxRetries(0).build();
    Set<Thread> before = liveThreads();
    long start = System.nanoTime();

    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOf(RemoteUnavailableException.class)
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("POST " + baseUrl() + "/chat/completions")
        .hasMessageContaining("connecting timed out after " + CONNECT_TIMEOUT + " (connectTimeout)")
        .hasCauseInstanceOf(HttpConnectTimeoutException.class)
        .satisfies(e -> assertThat(((RemoteUnavailableException) e).status()).isEmpty());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // A behaviour bound, not a benchmark: the connect timeout ended it, not the 60 s request one.
    assertThat(took).isGreaterThanOrEqualTo(CONNECT_TIMEOUT).isLessThan(Duration.ofSeconds(5));
    assertNoNewLiveThreads(before);
  }

  @Test
  void aConnectThatHangsOnACancellableCallFailsAfterTheConnectTimeout() {
    OpenAiChatModel model = model().maxRetries(0).build();
    Set<Thread> before = liveThreads();
    long start = System.nanoTime();

    // A real Cancellation takes the sendAsync path, which waits up to the request timeout.
    assertThatThrownBy(() -> model.generate(HELLO, StreamListener.NONE, Cancellation.create()))
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("connecting timed out after " + CONNECT_TIMEOUT + " (connectTimeout)")
        .hasCauseInstanceOf(HttpConnectTimeoutException.class);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isGreaterThanOrEqualTo(CONNECT_TIMEOUT).isLessThan(Duration.ofSeconds(5));
    assertNoNewLiveThreads(before);
  }

  @Test
  void aConnectTimeoutIsRetried() {
    OpenAiChatModel model = model().maxRetries(1).sleeper(sleeper).build();
    Set<Thread> before = liveThreads();
    long start = System.nanoTime();

    // Two attempts: one wait between them, the first attempt's failure suppressed by the last's.
    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOf(RemoteUnavailableException.class)
        .hasMessageContaining("connecting timed out after " + CONNECT_TIMEOUT + " (connectTimeout)")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .isInstanceOf(RemoteUnavailableException.class)
                    .satisfies(
                        first ->
                            assertThat(first)
                                .hasMessageContaining("(connectTimeout)")
                                .hasCauseInstanceOf(HttpConnectTimeoutException.class)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(sleeper.waits()).hasSize(1);
    // The recording sleeper takes no wall time, so the duration is the two connect timeouts.
    assertThat(took)
        .isGreaterThanOrEqualTo(CONNECT_TIMEOUT.multipliedBy(2))
        .isLessThan(Duration.ofSeconds(5));
    assertNoNewLiveThreads(before);
  }
}
