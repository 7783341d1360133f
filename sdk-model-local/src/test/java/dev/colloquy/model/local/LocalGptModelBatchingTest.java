package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.resilience.CallRejectedException;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.GptSequence;
import dev.colloquy.model.local.internal.runtime.JavaDecoderRuntime;
import dev.colloquy.model.local.internal.runtime.JavaGptRuntime;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Continuous batching through {@link LocalGptModel}: concurrent requests get the replies they get
 * alone, while a {@link SteppedRuntime} around the real engine shows what each step held. Steps are
 * held and released by the test, so who waits when a step ends is decided, not timed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang guard: a scheduler bug would hang, not slow
class LocalGptModelBatchingTest {

  private static final ChatOptions GREEDY =
      ChatOptions.builder().temperature(0).maxTokens(12).logprobs(3).repetitionPenalty(1.3).build();

  @TempDir static Path folder;
  private static final Map<String, Path> CHECKPOINTS = new HashMap<>();

  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  private static synchronized Path checkpoint(String family) {
    return CHECKPOINTS.computeIfAbsent(
        family,
        name -> {
          if (name.equals("gpt2")) {
            return RandomGpt2Checkpoint.tiny().withPositions(512).writeTo(folder.resolve(name));
          }
          Path model =
              RandomDecoderCheckpoint.tiny(name)
                  .withVocabulary(50257)
                  .with("max_position_embeddings", "512")
                  .writeTo(folder.resolve(name));
          try {
            Files.writeString(model.resolve("tokenizer.json"), Gpt2TokenizerJson.text());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return model;
        });
  }

  /** The real Java engine of the family, as the loader would start it. */
  private static GptRuntime engine(String family) {
    Path model = checkpoint(family);
    if (family.equals("gpt2")) {
      GptConfig config = GptConfig.read(model.resolve("config.json"));
      return new JavaGptRuntime(
          CheckpointReader.read(CheckpointReader.weightsFile(model), config), 2);
    }
    DecoderConfig config = DecoderConfig.read(model.resolve("config.json"));
    return new JavaDecoderRuntime(SafetensorsDecoderReader.read(model, config), 2);
  }

  private static LocalGptModel model(
      String family, GptRuntime runtime, int slots, int queued, int chunk, long cacheBytes) {
    Path model = checkpoint(family);
    LocalModelSettings settings =
        new LocalModelSettings(
            model,
            LocalDevice.cpu(),
            ComputeBackend.JAVA,
            2,
            ChatFormat.transcript(),
            ContextOverflow.FAIL,
            () -> 42L,
            family,
            16,
            cacheBytes,
            WeightFormat.AS_STORED,
            new LocalModelSettings.Batching(slots, queued, chunk));
    return ModelLoader.model(
        settings,
        new ModelLoader.GenerationDefaults(ChatOptions.defaults(), 0, Optional.empty()),
        BpeTokenizer.fromModelDirectory(model),
        runtime);
  }

  /** Each request on its own, one after another, its prompt in one piece. */
  private static List<ChatResponse> alone(String family, List<ChatRequest> requests) {
    try (LocalGptModel model = model(family, engine(family), 1, 0, 4096, 0)) {
      List<ChatResponse> replies = new ArrayList<>();
      for (ChatRequest request : requests) {
        replies.add(model.chat(request));
      }
      return replies;
    }
  }

  private static ChatRequest ask(String text, ChatOptions options) {
    return ChatRequest.of(Message.user(text)).withOptions(options);
  }

  private static ChatOptions sampled(long seed) {
    return ChatOptions.builder()
        .temperature(0.9)
        .topK(40)
        .topP(0.9)
        .seed(seed)
        .maxTokens(12)
        .logprobs(2)
        .build();
  }

  private Future<ChatResponse> call(LocalGptModel model, ChatRequest request) {
    return call(model, request, Cancellation.none());
  }

  private Future<ChatResponse> call(
      LocalGptModel model, ChatRequest request, Cancellation cancellation) {
    return callers.submit(() -> model.generate(request, delta -> {}, cancellation));
  }

  private static void assertSameReply(ChatResponse actual, ChatResponse expected) {
    assertThat(actual.text()).isEqualTo(expected.text());
    assertThat(actual.logprobs()).isEqualTo(expected.logprobs());
    assertThat(actual.usage()).isEqualTo(expected.usage());
    assertThat(actual.finishReason()).isEqualTo(expected.finishReason());
  }

  private static Throwable failureOf(Future<?> future) throws InterruptedException {
    try {
      future.get();
    } catch (ExecutionException e) {
      return e.getCause();
    }
    return fail("the call succeeded");
  }

  /** Waits for a state the test brought about; no time limit is asserted. */
  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("gave up waiting until " + what);
      }
      Thread.sleep(1);
    }
  }

  private static long rowsOf(SteppedRuntime runtime, GptSequence sequence) {
    return runtime.steps().stream()
        .flatMap(List::stream)
        .filter(row -> row.sequence() == sequence)
        .count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama"})
  void concurrentGreedyAndSeededRequestsGetTheRepliesTheyGetAlone(String family) throws Exception {
    List<ChatRequest> requests =
        List.of(
            ask("Tell me about the weather in the mountains today, please.", GREEDY),
            ask("What is the price of green tea?", GREEDY),
            ask("Write a line about coffee and cake.", sampled(7)),
            ask("Name a colour.", sampled(11)));
    List<ChatResponse> expected = alone(family, requests);
    SteppedRuntime runtime = new SteppedRuntime(engine(family));
    try (LocalGptModel model = model(family, runtime, 4, 0, 8, 0)) {
      runtime.hold();
      List<Future<ChatResponse>> replies = new ArrayList<>();
      replies.add(call(model, requests.get(0)));
      await(() -> runtime.steps().size() == 1, "the first request's first step is held");
      for (int i = 1; i < requests.size(); i++) {
        replies.add(call(model, requests.get(i)));
      }
      await(() -> model.scheduler().pending() == 3, "the other three wait for the next step");
      runtime.open();
      for (int i = 0; i < requests.size(); i++) {
        assertSameReply(replies.get(i).get(), expected.get(i));
      }
      List<List<SteppedRuntime.Row>> steps = runtime.steps();
      assertThat(steps)
          .as("every row is a prompt chunk of at most 8 tokens or one decoded token")
          .allSatisfy(
              step -> assertThat(step).allSatisfy(row -> assertThat(row.tokens()).isBetween(1, 8)));
      assertThat(steps)
          .as("at most one chunk's worth of prompt tokens a step, all requests together")
          .allSatisfy(
              step ->
                  assertThat(
                          step.stream()
                              .filter(row -> row.tokens() > 1)
                              .mapToInt(row -> row.tokens())
                              .sum())
                      .isLessThanOrEqualTo(8));
      assertThat(model.scheduler().stepCounts()[1]).isPositive();
    }
  }

  @Test
  void requestsThatStartTogetherRunEveryStepTogetherUntilTheyEnd() throws Exception {
    List<ChatRequest> requests =
        List.of(
            ask("Where is my order?", GREEDY),
            ask("What is the price of green tea today?", sampled(3)),
            ask("Say hello.", ChatOptions.builder().temperature(0).maxTokens(5).build()));
    List<ChatResponse> expected = alone("gpt2", requests);
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    try (LocalGptModel model = model("gpt2", runtime, 3, 0, 64, 0)) {
      model.scheduler().gatherEveryone();
      runtime.hold();
      List<Future<ChatResponse>> replies = new ArrayList<>();
      for (ChatRequest request : requests) {
        replies.add(call(model, request));
      }
      await(
          () ->
              !runtime.steps().isEmpty()
                  && runtime.steps().get(0).size() + model.scheduler().pending() == 3,
          "each prompt is in the held first step or waits for the next");
      runtime.open();
      for (int i = 0; i < requests.size(); i++) {
        assertSameReply(replies.get(i).get(), expected.get(i));
      }
    }
    // From the step after the first on (the first too, if it held all three), every step holds
    // every request that has not ended: none decodes alone while the others catch up.
    List<List<SteppedRuntime.Row>> steps = runtime.steps();
    for (int s = steps.get(0).size() == 3 ? 0 : 1; s < steps.size(); s++) {
      long running =
          steps.subList(s, steps.size()).stream()
              .flatMap(List::stream)
              .map(row -> System.identityHashCode(row.sequence()))
              .distinct()
              .count();
      assertThat(steps.get(s)).as("step %d of %d", s, steps.size()).hasSize((int) running);
    }
    assertThat(steps).extracting(List::size).contains(3);
  }

  @Test
  void aLongPromptRunsInChunksBetweenAnotherRequestsDecodeSteps() throws Exception {
    ChatRequest chatty =
        ask("Hi there.", ChatOptions.builder().temperature(0).maxTokens(40).build());
    ChatRequest longPrompt = ask("word ".repeat(100).strip(), GREEDY);
    List<ChatResponse> expected = alone("gpt2", List.of(chatty, longPrompt));
    assertThat(expected.get(0).usage().outputTokens())
        .as("the first request decodes long enough to overlap the second's prompt")
        .isGreaterThanOrEqualTo(8);
    int promptTokens = (int) expected.get(1).usage().inputTokens();
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    try (LocalGptModel model = model("gpt2", runtime, 2, 0, 16, 0)) {
      runtime.hold();
      Future<ChatResponse> first = call(model, chatty);
      await(() -> runtime.steps().size() == 1, "the first prompt's step is held");
      runtime.allow(2);
      await(() -> runtime.steps().size() == 3, "the first request's second decode step is held");
      Future<ChatResponse> second = call(model, longPrompt);
      await(() -> model.scheduler().pending() == 1, "the long prompt's first chunk waits");
      runtime.open();
      assertSameReply(first.get(), expected.get(0));
      assertSameReply(second.get(), expected.get(1));
    }

    List<List<SteppedRuntime.Row>> steps = runtime.steps();
    GptSequence decoding = steps.get(0).get(0).sequence();
    List<Integer> chunkSizes = new ArrayList<>();
    List<Integer> chunkSteps = new ArrayList<>();
    int chunks = (promptTokens + 15) / 16;
    for (int s = 0; s < steps.size() && chunkSizes.size() < chunks; s++) {
      for (SteppedRuntime.Row row : steps.get(s)) {
        if (row.sequence() != decoding) {
          chunkSizes.add(row.tokens());
          chunkSteps.add(s);
        }
      }
    }
    assertThat(chunks).isGreaterThan(3);
    assertThat(chunkSizes.subList(0, chunks - 1)).containsOnly(16);
    assertThat(chunkSizes.get(chunks - 1)).isEqualTo(promptTokens - 16 * (chunks - 1));
    int firstChunk = chunkSteps.get(0);
    int lastChunk = chunkSteps.get(chunks - 1);
    assertThat(lastChunk - firstChunk).isGreaterThanOrEqualTo(chunks - 1);
    assertThat(steps.subList(firstChunk, lastChunk + 1))
        .as("the first request decoded while the long prompt ran")
        .anySatisfy(step -> assertThat(step).contains(new SteppedRuntime.Row(decoding, 1)));
  }

  @Test
  void promptsArrivingTogetherShareOneChunkOfPromptTokensAStep() throws Exception {
    ChatRequest chatty =
        ask("Hi there.", ChatOptions.builder().temperature(0).maxTokens(40).build());
    List<ChatRequest> prompts =
        List.of(
            ask("word ".repeat(30).strip(), GREEDY),
            ask("green tea ".repeat(15).strip(), sampled(5)),
            ask("where is order 12345 ".repeat(6).strip(), GREEDY));
    List<ChatRequest> all = new ArrayList<>(List.of(chatty));
    all.addAll(prompts);
    List<ChatResponse> expected = alone("gpt2", all);
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    try (LocalGptModel model = model("gpt2", runtime, 4, 0, 16, 0)) {
      model.scheduler().gatherEveryone();
      runtime.hold();
      Future<ChatResponse> first = call(model, chatty);
      await(() -> runtime.steps().size() == 1, "the first prompt's step is held");
      runtime.allow(2);
      await(() -> runtime.steps().size() == 3, "the first request's second decode step is held");
      List<Future<ChatResponse>> replies = new ArrayList<>();
      for (ChatRequest prompt : prompts) {
        replies.add(call(model, prompt));
      }
      await(() -> model.scheduler().pending() == 3, "the three prompts' first chunks wait");
      runtime.open();
      assertSameReply(first.get(), expected.get(0));
      for (int i = 0; i < prompts.size(); i++) {
        assertSameReply(replies.get(i).get(), expected.get(i + 1));
      }
    }
    List<List<SteppedRuntime.Row>> steps = runtime.steps();
    GptSequence decoding = steps.get(0).get(0).sequence();
    int lastDecode = 0;
    for (int s = 0; s < steps.size(); s++) {
      int promptTokens = 0;
      for (SteppedRuntime.Row row : steps.get(s)) {
        promptTokens += row.tokens() > 1 ? row.tokens() : 0;
        lastDecode = row.sequence() == decoding ? s : lastDecode;
      }
      assertThat(promptTokens)
          .as("prompt tokens in step %d of %d", s, steps.size())
          .isLessThanOrEqualTo(16);
    }
    // Until the first request ended, every step after its prompt decoded it: the three prompts
    // (over 16 tokens each) took turns beside it instead of stalling it.
    for (int s = 1; s <= lastDecode; s++) {
      assertThat(steps.get(s)).as("step %d", s).contains(new SteppedRuntime.Row(decoding, 1));
    }
    assertThat(
            steps.subList(1, lastDecode + 1).stream()
                .filter(step -> step.stream().anyMatch(row -> row.tokens() > 1))
                .count())
        .as("steps in which a prompt chunk ran beside the decoding request")
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void withAllSlotsAndTheQueueTakenTheNextRequestIsRejectedNamingTheSettings() throws Exception {
    ChatRequest request = ask("Hello there.", GREEDY);
    ChatResponse expected = alone("gpt2", List.of(request)).get(0);
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    try (LocalGptModel model = model("gpt2", runtime, 1, 1, 64, 0)) {
      runtime.hold();
      Future<ChatResponse> running = call(model, request);
      await(() -> runtime.steps().size() == 1, "the running request's step is held");
      Future<ChatResponse> queued = call(model, request);
      await(() -> model.scheduler().queued() == 1, "the second request waits for the slot");

      assertThatThrownBy(() -> model.chat(request))
          .isInstanceOfSatisfying(
              CallRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(CallRejectedException.Reason.CONCURRENCY))
          .hasMessageContaining("all 1 batch slot(s) are taken and 1 request(s) wait")
          .hasMessageContaining("LocalGptModel.Builder.batchSlots")
          .hasMessageContaining("LocalGptModel.Builder.maxQueuedRequests");

      runtime.open();
      assertSameReply(running.get(), expected);
      assertSameReply(queued.get(), expected);
    }
  }

  @Test
  void aRunningRequestCancelledMidStepLeavesAfterItAndItsSlotGoesToTheQueuedOne() throws Exception {
    ChatRequest request = ask("Hello there.", GREEDY);
    ChatResponse expected = alone("gpt2", List.of(request)).get(0);
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    try (LocalGptModel model = model("gpt2", runtime, 1, 1, 64, 0)) {
      runtime.hold();
      Cancellation cancellation = Cancellation.create();
      Future<ChatResponse> cancelled = call(model, request, cancellation);
      await(() -> runtime.steps().size() == 1, "the first request's step is held");
      Future<ChatResponse> queued = call(model, request);
      await(() -> model.scheduler().queued() == 1, "the second request waits for the slot");

      cancellation.cancel();
      runtime.open();

      assertThat(failureOf(cancelled)).isInstanceOf(CancelledException.class);
      assertSameReply(queued.get(), expected);
      GptSequence first = runtime.steps().get(0).get(0).sequence();
      assertThat(rowsOf(runtime, first))
          .as("the cancelled request ran no step after the one in progress")
          .isEqualTo(1);
    }
  }

  @Test
  void aRequestCancelledWhileItsTokensWaitForAStepLeavesAtOnceAndNeverRuns() throws Exception {
    ChatRequest request = ask("Hello there.", GREEDY);
    ChatResponse expected = alone("gpt2", List.of(request)).get(0);
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    try (LocalGptModel model = model("gpt2", runtime, 2, 0, 64, 0)) {
      runtime.hold();
      Future<ChatResponse> running = call(model, request);
      await(() -> runtime.steps().size() == 1, "the first request's step is held");
      Cancellation cancellation = Cancellation.create();
      Future<ChatResponse> waiting = call(model, ask("Another question.", GREEDY), cancellation);
      await(() -> model.scheduler().pending() == 1, "the second request's prompt waits");

      cancellation.cancel();
      // It ends while the step in progress is still held: it stopped waiting on its own.
      assertThat(failureOf(waiting)).isInstanceOf(CancelledException.class);
      assertThat(model.scheduler().pending()).isZero();

      runtime.open();
      assertSameReply(running.get(), expected);
      GptSequence first = runtime.steps().get(0).get(0).sequence();
      assertThat(runtime.steps())
          .allSatisfy(
              step ->
                  assertThat(step).extracting(SteppedRuntime.Row::sequence).containsOnly(first));
    }
  }

  @Test
  void aRequestCancelledWhileQueuedStopsWaitingAtOnce() throws Exception {
    ChatRequest request = ask("Hello there.", GREEDY);
    ChatResponse expected = alone("gpt2", List.of(request)).get(0);
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    try (LocalGptModel model = model("gpt2", runtime, 1, 2, 64, 0)) {
      runtime.hold();
      Future<ChatResponse> running = call(model, request);
      await(() -> runtime.steps().size() == 1, "the running request's step is held");
      Cancellation cancellation = Cancellation.create();
      Future<ChatResponse> queued = call(model, request, cancellation);
      await(() -> model.scheduler().queued() == 1, "the second request waits for the slot");

      cancellation.cancel();
      assertThat(failureOf(queued)).isInstanceOf(CancelledException.class);
      assertThat(model.scheduler().queued()).isZero();

      runtime.open();
      assertSameReply(running.get(), expected);
    }
  }

  @Test
  void closingWithRequestsInFlightFailsThemAndReleasesTheModelWhenTheLastLeaves() throws Exception {
    ChatRequest request = ask("Hello there.", GREEDY);
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    LocalGptModel model = model("gpt2", runtime, 1, 1, 64, 0);
    runtime.hold();
    Future<ChatResponse> running = call(model, request);
    await(() -> runtime.steps().size() == 1, "the running request's step is held");
    Future<ChatResponse> queued = call(model, request);
    await(() -> model.scheduler().queued() == 1, "the second request waits for the slot");

    model.close(); // returns although a step is held mid-way

    assertThat(runtime.isClosed()).as("the running request still uses the engine").isFalse();
    assertThat(failureOf(queued))
        .isInstanceOf(CancelledException.class)
        .hasMessageContaining("closed while this request waited");
    assertThatThrownBy(() -> model.chat(request))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");

    runtime.open();
    assertThat(failureOf(running))
        .isInstanceOf(CancelledException.class)
        .hasMessageContaining("closed while this request was running");
    await(runtime::isClosed, "the last request to leave releases the engine");
    assertThat(runtime.steps()).hasSize(1);
    model.close(); // a second close does nothing
  }

  @Test
  void closingAnIdleModelReleasesItAtOnce() {
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    LocalGptModel model = model("gpt2", runtime, 2, 2, 64, 0);
    assertThat(model.chat(ask("Hello there.", GREEDY)).usage().outputTokens()).isPositive();
    model.close();
    assertThat(runtime.isClosed()).isTrue();
  }

  @Test
  void twoTurnsOfOneConversationAtOnceEachGetTheReplyTheyGetAloneFromTheCache() throws Exception {
    ChatRequest opening = ask("Tell me about the tea.", GREEDY);
    ChatResponse openingReply = alone("gpt2", List.of(opening)).get(0);
    ChatRequest next =
        ChatRequest.of(
                Message.user("Tell me about the tea."),
                openingReply.message(),
                Message.user("And the price?"))
            .withOptions(GREEDY);
    ChatResponse expected = alone("gpt2", List.of(next)).get(0);
    SteppedRuntime runtime = new SteppedRuntime(engine("gpt2"));
    try (LocalGptModel model = model("gpt2", runtime, 2, 0, 8, 64L << 20)) {
      assertSameReply(model.chat(opening), openingReply);
      int before = runtime.steps().size();
      runtime.hold();
      Future<ChatResponse> one = call(model, next);
      await(() -> runtime.steps().size() == before + 1, "the first copy's step is held");
      Future<ChatResponse> two = call(model, next);
      await(() -> model.scheduler().pending() == 1, "the second copy waits for the next step");
      runtime.open();
      assertSameReply(one.get(), expected);
      assertSameReply(two.get(), expected);
      List<List<SteppedRuntime.Row>> steps = runtime.steps();
      assertThat(
              steps.subList(before, steps.size()).stream()
                  .flatMap(List::stream)
                  .map(row -> System.identityHashCode(row.sequence()))
                  .distinct())
          .as("each copy ran on a sequence of its own")
          .hasSize(2);
    }
  }

  @Test
  void batchSettingsAreCheckedAndSetOnce() {
    LocalGptModel.Builder builder = LocalGptModel.builder(folder);
    assertThatThrownBy(() -> builder.batchSlots(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSlots must be 1 to 1024, was 0");
    assertThatThrownBy(() -> builder.maxQueuedRequests(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxQueuedRequests must be at least 0, was -1");
    assertThatThrownBy(() -> builder.prefillChunkTokens(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefillChunkTokens must be at least 1, was 0");
    builder.batchSlots(8).maxQueuedRequests(0).prefillChunkTokens(32);
    assertThatThrownBy(() -> builder.batchSlots(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("batchSlots was already set to 8");
    assertThatThrownBy(() -> builder.maxQueuedRequests(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxQueuedRequests was already set to 0");
    assertThatThrownBy(() -> builder.prefillChunkTokens(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("prefillChunkTokens was already set to 32");
  }

  @Test
  void aBuiltModelServesConcurrentCallersWithTheDefaults() throws Exception {
    ChatRequest request = ask("What is the price of green tea?", GREEDY);
    ChatResponse expected = alone("gpt2", List.of(request)).get(0);
    try (LocalGptModel model =
        LocalGptModel.builder(checkpoint("gpt2"))
            .device(LocalDevice.cpu())
            .backend(ComputeBackend.JAVA)
            .threads(2)
            .chatFormat(ChatFormat.transcript())
            .batchSlots(3)
            .prefillChunkTokens(4)
            .build()) {
      List<Future<ChatResponse>> replies = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        replies.add(call(model, request));
      }
      for (Future<ChatResponse> reply : replies) {
        assertSameReply(reply.get(), expected);
      }
    }
  }
}
