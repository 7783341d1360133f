package dev.colloquy.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.fakes.FakeChatModel;
import dev.colloquy.core.fakes.MutableClock;
import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class ObserveTest {

  private static final ChatRequest REQUEST =
      ChatRequest.of(Message.user("my mail is jane@example.com"));

  private final MutableClock clock = new MutableClock();
  private final FakeChatModel backend = new FakeChatModel("m-1");
  private final List<ChatEvent> events = new ArrayList<>();

  @Test
  void reportsARequestAndItsResponseWithTheLatencyAndUsage() {
    backend.then(
        (request, stream, cancellation) -> {
          clock.advance(Duration.ofMillis(250));
          return FakeChatModel.response("m-1", "hi", FinishReason.STOP, new TokenUsage(12, 3));
        });
    ChatModel model = ListeningChatModel.of("m", backend, events::add, clock);

    model.chat(REQUEST);

    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isEqualTo(new ChatEvent.RequestSent("m#1", "m", REQUEST));
    assertThat(events.get(1))
        .isInstanceOfSatisfying(
            ChatEvent.ResponseReceived.class,
            received -> {
              assertThat(received.latency()).isEqualTo(Duration.ofMillis(250));
              assertThat(received.usage()).isEqualTo(new TokenUsage(12, 3));
            });
  }

  @Test
  void reportsAFailedCallAndRethrowsItsFailure() {
    NonRetryableException failure = new NonRetryableException("401");
    backend.thenFail(failure);
    ChatModel model = ListeningChatModel.of("m", backend, events::add, clock);

    assertThatThrownBy(() -> model.chat(REQUEST)).isSameAs(failure);
    assertThat(events.get(1))
        .isInstanceOfSatisfying(
            ChatEvent.CallFailed.class,
            failed -> assertThat(failed.errorKind()).isEqualTo("NonRetryableException"));
  }

  @Test
  void recordsMetersForCallsTokensErrorsRetriesCacheToolsAndGuards() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ChatListener meters = MicrometerChatListener.of(registry);
    backend
        .thenReply("hi", FinishReason.STOP, new TokenUsage(12, 3))
        .thenFail(new RetryableException("503"));
    ChatModel model = ListeningChatModel.of("m", backend, meters, clock);

    model.chat(REQUEST);
    assertThatThrownBy(() -> model.chat(REQUEST)).isInstanceOf(RetryableException.class);
    meters.onEvent(
        new ChatEvent.RetryScheduled("m", 1, Duration.ofSeconds(1), new RetryableException("503")));
    meters.onEvent(new ChatEvent.CacheLookup("m", "global", true));
    meters.onEvent(new ChatEvent.ToolCalled("lookupOrder", Duration.ofMillis(40), false));
    meters.onEvent(
        new ChatEvent.GuardDecided(
            "pii-redaction",
            ChatEvent.GuardDecided.Stage.INPUT,
            ChatEvent.GuardDecided.Outcome.REWRITE,
            "redacted 1 value"));

    assertThat(registry.get("colloquy.model.calls").tag("outcome", "success").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("colloquy.model.tokens").tag("direction", "input").counter().count())
        .isEqualTo(12);
    assertThat(registry.get("colloquy.model.tokens").tag("direction", "output").counter().count())
        .isEqualTo(3);
    assertThat(
            registry
                .get("colloquy.model.errors")
                .tag("kind", "RetryableException")
                .tag("retryable", "true")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("colloquy.model.retries").counter().count()).isEqualTo(1);
    assertThat(registry.get("colloquy.cache.lookups").tag("result", "hit").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("colloquy.tool.calls").tag("tool", "lookupOrder").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("colloquy.guard.decisions").tag("outcome", "rewrite").counter().count())
        .isEqualTo(1);
  }

  @Test
  void logsPromptsOnlyAtTraceAndAlwaysRedacted() {
    List<String> traced = new ArrayList<>();
    backend.thenReply("noted, jane@example.com");
    ChatModel model =
        ListeningChatModel.of(
            "m",
            backend,
            LoggingChatListener.of(recordingLogger(true, traced), PiiRedactor.all()),
            clock);

    model.chat(REQUEST);

    assertThat(traced).hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain("jane@"));
    assertThat(traced.get(0)).contains("[EMAIL_1]");
  }

  @Test
  void logsNoPromptWhenTraceIsOff() {
    List<String> traced = new ArrayList<>();
    backend.thenReply("hi");
    ChatModel model =
        ListeningChatModel.of(
            "m",
            backend,
            LoggingChatListener.of(recordingLogger(false, traced), PiiRedactor.all()),
            clock);

    model.chat(REQUEST);

    assertThat(traced).isEmpty();
  }

  @Test
  void allPassesEachEventToEveryListenerInOrder() {
    List<String> seen = new ArrayList<>();
    ChatListener both = ChatListener.all(e -> seen.add("first"), e -> seen.add("second"));

    both.onEvent(new ChatEvent.CacheLookup("m", "s", false));

    assertThat(seen).containsExactly("first", "second");
  }

  /** A logger that records what it is asked to log at TRACE, with TRACE on or off. */
  private static Logger recordingLogger(boolean traceEnabled, List<String> traced) {
    return (Logger)
        Proxy.newProxyInstance(
            Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
              if (method.getName().equals("isTraceEnabled")) {
                return traceEnabled;
              }
              if (method.getName().equals("trace") && traceEnabled) {
                traced.add(Arrays.deepToString(args));
              }
              return method.getReturnType() == boolean.class ? false : null;
            });
  }
}
