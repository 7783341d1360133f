package dev.colloquy.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.fakes.FakeChatModel;
import dev.colloquy.core.fakes.MutableClock;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.core.observe.ChatEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

  private static final ChatOptions GREEDY = ChatOptions.builder().temperature(0).build();
  private static final ChatRequest REQUEST =
      ChatRequest.of(Message.user("capital of France?")).withOptions(GREEDY);

  private final MutableClock clock = new MutableClock();
  private final FakeChatModel backend = new FakeChatModel("m");
  private final List<ChatEvent> events = new ArrayList<>();
  private final ResponseCache cache =
      ResponseCache.builder().clock(clock).replayChunkSize(4).listener(events::add).build();

  @Test
  void answersARepeatedDeterministicRequestFromTheCacheReplayingItAsAStream() {
    backend.thenReply("Paris is the capital.");
    ChatModel model = cache.decorate("m", backend);
    model.chat(REQUEST);
    List<String> deltas = new ArrayList<>();

    String text = model.generate(REQUEST, deltas::add, Cancellation.none()).text();

    assertThat(text).isEqualTo("Paris is the capital.");
    assertThat(backend.calls()).isEqualTo(1);
    assertThat(deltas)
        .hasSizeGreaterThan(1)
        .allSatisfy(d -> assertThat(d.length()).isLessThanOrEqualTo(4));
    assertThat(String.join("", deltas)).isEqualTo(text);
    assertThat(cache.statistics()).isEqualTo(new CacheStatistics(1, 1, 0, 1));
    assertThat(events)
        .extracting(e -> ((ChatEvent.CacheLookup) e).hit())
        .containsExactly(false, true);
  }

  @Test
  void sendsSampledRequestsToTheModelEveryTimeByDefault() {
    backend.thenReply("a poem");
    ChatModel model = cache.decorate("m", backend);
    ChatRequest sampled = REQUEST.withOptions(ChatOptions.builder().temperature(0.8).build());

    model.chat(sampled);
    model.chat(sampled);

    assertThat(backend.calls()).isEqualTo(2);
    assertThat(cache.statistics().misses()).isZero();
  }

  @Test
  void cachesSampledRequestsWhenAskedTo() {
    backend.thenReply("a poem");
    ChatModel model =
        ResponseCache.builder().cacheNonDeterministic().build().decorate("m", backend);
    ChatRequest sampled = REQUEST.withOptions(ChatOptions.builder().temperature(0.8).build());

    model.chat(sampled);
    model.chat(sampled);

    assertThat(backend.calls()).isEqualTo(1);
  }

  @Test
  void keepsScopesApart() {
    backend.thenReply("tenant answer");
    cache.decorate("m", backend, "tenant-a").chat(REQUEST);
    cache.decorate("m", backend, "tenant-b").chat(REQUEST);

    assertThat(backend.calls()).isEqualTo(2);
  }

  @Test
  void neverStoresATruncatedReply() {
    backend.thenReply("cut sho", FinishReason.LENGTH, new TokenUsage(5, 16));
    ChatModel model = cache.decorate("m", backend);

    model.chat(REQUEST);
    model.chat(REQUEST);

    assertThat(backend.calls()).isEqualTo(2);
  }

  @Test
  void neverStoresAFailure() {
    backend.thenFail(new RetryableException("503")).thenReply("ok");
    ChatModel model = cache.decorate("m", backend);

    assertThatThrownBy(() -> model.chat(REQUEST)).hasMessage("503");
    assertThat(model.chat(REQUEST).text()).isEqualTo("ok");
    assertThat(backend.calls()).isEqualTo(2);
  }

  @Test
  void neverStoresAReplyWhoseCallWasCancelled() {
    Cancellation cancellation = Cancellation.create();
    backend
        .then(
            (request, stream, signal) -> {
              cancellation.cancel();
              return FakeChatModel.response("m", "late", FinishReason.STOP, TokenUsage.ZERO);
            })
        .thenReply("fresh");
    ChatModel model = cache.decorate("m", backend);

    model.generate(REQUEST, text -> {}, cancellation);

    assertThat(model.chat(REQUEST).text()).isEqualTo("fresh");
  }

  @Test
  void forgetsAnEntryAfterItExpires() {
    backend.thenReply("old").thenReply("new");
    ChatModel model = cache.decorate("m", backend);
    model.chat(REQUEST);

    clock.advance(Duration.ofHours(1).plusSeconds(1));

    assertThat(model.chat(REQUEST).text()).isEqualTo("new");
  }

  @Test
  void treatsTheSameToolsInAnotherOrderAsTheSameRequest() {
    backend.thenReply("ok");
    ChatModel model = cache.decorate("m", backend);
    ToolSpecification a = ToolSpecification.withoutParameters("a", "tool a");
    ToolSpecification b = ToolSpecification.withoutParameters("b", "tool b");

    model.chat(new ChatRequest(REQUEST.messages(), List.of(a, b), GREEDY));
    model.chat(new ChatRequest(REQUEST.messages(), List.of(b, a), GREEDY));

    assertThat(backend.calls()).isEqualTo(1);
  }

  @Test
  void tellsRequestsWithDifferentToolSchemasApart() {
    backend.thenReply("ok");
    ChatModel model = cache.decorate("m", backend);
    JsonSchema schema =
        JsonSchema.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");

    model.chat(
        new ChatRequest(
            REQUEST.messages(), List.of(ToolSpecification.withoutParameters("t", "d")), GREEDY));
    model.chat(
        new ChatRequest(
            REQUEST.messages(), List.of(new ToolSpecification("t", "d", schema)), GREEDY));

    assertThat(backend.calls()).isEqualTo(2);
  }

  @Test
  void clearingAScopeLeavesOtherScopesCached() {
    backend.thenReply("ok");
    cache.decorate("m", backend, "a").chat(REQUEST);
    cache.decorate("m", backend, "b").chat(REQUEST);

    cache.clear("a");

    assertThat(cache.statistics().size()).isEqualTo(1);
  }

  @Test
  void builderRejectsARepeatedSettingNamingTheFirstValue() {
    assertThatThrownBy(() -> ResponseCache.builder().maximumSize(10).maximumSize(20))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumSize was already set to 10");
  }
}
