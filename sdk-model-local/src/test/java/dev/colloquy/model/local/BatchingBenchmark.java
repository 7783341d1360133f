package dev.colloquy.model.local;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many users at once (docs/local.md, "Many users at once"): {@code users} concurrent greedy
 * requests on one model, with one batch slot (one request at a time) and with {@code users} slots,
 * reporting wall time, generated tokens per second and how full the steps were; the replies must be
 * the same both ways. Not a unit test: run it by hand, e.g.
 *
 * <pre>
 * java -Xmx3g --add-modules jdk.incubator.vector -cp CLASSPATH \
 *   dev.colloquy.model.local.BatchingBenchmark target/gpt2-small-random 2 4 32 3
 * </pre>
 *
 * <p>Arguments: model directory (a random GPT-2-small-shaped checkpoint is written there if it has
 * no config.json), kernel threads, users, tokens per reply, rounds. The DialoGPT format (no stop
 * sequences), prompts of about 20 tokens, one warm-up round per model. Then, on the batched model,
 * how long newcomers' prompts hold back a request that is decoding ({@code stall}).
 */
public final class BatchingBenchmark {

  private BatchingBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args.length > 0 ? args[0] : "target/gpt2-small-random");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int users = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int tokens = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    if (!Files.exists(directory.resolve("config.json"))) {
      RandomGpt2Checkpoint.gpt2Small().writeTo(directory);
    }
    List<ChatRequest> requests = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      requests.add(
          ChatRequest.of(
                  Message.user("Customer " + i + " asks where order " + (1000 + i) + " is today."))
              .withOptions(ChatOptions.builder().temperature(0).maxTokens(tokens).build()));
    }
    ExecutorService callers = Executors.newFixedThreadPool(users);
    try (LocalGptModel alone = load(directory, threads, 1);
        LocalGptModel batched = load(directory, threads, users)) {
      System.out.println(batched.runtimeDescription());
      run(alone, requests, callers);
      run(batched, requests, callers);
      for (int round = 1; round <= rounds; round++) {
        long[] before = batched.scheduler().stepCounts();
        Result one = run(alone, requests, callers);
        Result many = run(batched, requests, callers);
        long[] after = batched.scheduler().stepCounts();
        if (!one.texts.equals(many.texts)) {
          throw new AssertionError("batched replies differ: " + one.texts + " vs " + many.texts);
        }
        long steps = after[0] - before[0];
        System.out.printf(
            "round %d: 1 slot %.0f ms (%.1f tok/s); %d slots %.0f ms (%.1f tok/s), %d steps,"
                + " %d of them batched, %.2f sequences a step%n",
            round,
            one.millis,
            one.tokens * 1000.0 / one.millis,
            users,
            many.millis,
            many.tokens * 1000.0 / many.millis,
            steps,
            after[1] - before[1],
            (after[2] - before[2]) / (double) steps);
      }
      for (int round = 1; round <= rounds; round++) {
        stall(batched, users, callers, round);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  /**
   * One request decodes; after its 8th streamed piece, {@code users - 1} others arrive at once,
   * each with a prompt of about 100 tokens: the longest and the median gap between the first
   * request's pieces from then on, i.e. how long the newcomers' prompts hold its decoding back.
   */
  private static void stall(LocalGptModel model, int users, ExecutorService callers, int round)
      throws Exception {
    List<Long> times = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(8);
    ChatRequest first =
        ChatRequest.of(Message.user("Customer 0 asks where order 1000 is today."))
            .withOptions(ChatOptions.builder().temperature(0).maxTokens(96).build());
    Future<ChatResponse> decoding =
        callers.submit(
            () ->
                model.generate(
                    first,
                    delta -> {
                      times.add(System.nanoTime());
                      started.countDown();
                    },
                    dev.colloquy.core.Cancellation.none()));
    started.await();
    long arrived = System.nanoTime();
    List<Future<ChatResponse>> newcomers = new ArrayList<>();
    for (int i = 1; i < users; i++) {
      ChatRequest request =
          ChatRequest.of(Message.user("Customer " + i + " writes:" + " a long story".repeat(33)))
              .withOptions(ChatOptions.builder().temperature(0).maxTokens(8).build());
      newcomers.add(callers.submit(() -> model.chat(request)));
    }
    long promptTokens = 0;
    for (Future<ChatResponse> newcomer : newcomers) {
      promptTokens += newcomer.get().usage().inputTokens();
    }
    decoding.get();
    List<Long> gaps = new ArrayList<>();
    synchronized (times) {
      for (int i = 1; i < times.size(); i++) {
        if (times.get(i) > arrived) {
          gaps.add(times.get(i) - Math.max(times.get(i - 1), arrived));
        }
      }
    }
    gaps.sort(null);
    System.out.printf(
        "stall round %d: %d newcomers with %d prompt tokens in all; the decoding request's longest"
            + " gap %.0f ms, median %.1f ms%n",
        round,
        users - 1,
        promptTokens,
        gaps.get(gaps.size() - 1) / 1e6,
        gaps.get(gaps.size() / 2) / 1e6);
  }

  private record Result(double millis, long tokens, List<String> texts) {}

  private static Result run(
      LocalGptModel model, List<ChatRequest> requests, ExecutorService callers) throws Exception {
    long start = System.nanoTime();
    List<Future<ChatResponse>> futures = new ArrayList<>();
    for (ChatRequest request : requests) {
      futures.add(callers.submit(() -> model.chat(request)));
    }
    long generated = 0;
    List<String> texts = new ArrayList<>();
    for (Future<ChatResponse> future : futures) {
      ChatResponse response = future.get();
      generated += response.usage().outputTokens();
      texts.add(response.text());
    }
    return new Result((System.nanoTime() - start) / 1e6, generated, texts);
  }

  private static LocalGptModel load(Path directory, int threads, int slots) {
    return LocalGptModel.builder(directory)
        .device(LocalDevice.cpu())
        .backend(ComputeBackend.JAVA)
        .threads(threads)
        .chatFormat(ChatFormat.dialoGpt())
        .promptCacheBytes(0)
        .batchSlots(slots)
        .build();
  }
}
