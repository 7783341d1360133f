package dev.colloquy.model.local;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Time to first token of turns 1 and 10 of a conversation, with and without the prompt cache
 * (docs/benchmarks.md, "Conversation cache"). Not a unit test: run it by hand, e.g.
 *
 * <pre>
 * java -Xmx3g --add-modules jdk.incubator.vector -cp CLASSPATH \
 *   dev.colloquy.model.local.PromptCacheBenchmark target/gpt2-small-random 2 3
 * </pre>
 *
 * <p>A random GPT-2-small-shaped checkpoint (written to the directory if it has no config.json),
 * the DialoGPT format (no stop sequences, so the first streamed text is the first token), greedy
 * replies of 32 tokens, user messages of about 30 tokens. Each round runs the conversation once
 * with the cache and once without, alternating, after one warm-up conversation per model.
 */
public final class PromptCacheBenchmark {

  private static final int TURNS = 10;
  private static final ChatOptions REPLY =
      ChatOptions.builder().temperature(0).maxTokens(32).build();

  private PromptCacheBenchmark() {}

  public static void main(String[] args) {
    Path directory = Path.of(args.length > 0 ? args[0] : "target/gpt2-small-random");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    if (!Files.exists(directory.resolve("config.json"))) {
      RandomGpt2Checkpoint.gpt2Small().writeTo(directory);
    }
    try (LocalGptModel cached = load(directory, threads, 1L << 30);
        LocalGptModel plain = load(directory, threads, 0)) {
      System.out.println(cached.runtimeDescription());
      converse(cached, "warm-up");
      converse(plain, "warm-up");
      List<double[]> withCache = new ArrayList<>();
      List<double[]> without = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        String topic = "round " + round;
        double[] a = converse(cached, topic);
        double[] b = converse(plain, topic);
        withCache.add(a);
        without.add(b);
        System.out.printf(
            "round %d: cache turn 1 %.0f ms, turn 10 %.0f ms; no cache turn 1 %.0f ms, turn 10 %.0f"
                + " ms; turn 10 prompt %d tokens%n",
            round, a[0], a[TURNS - 1], b[0], b[TURNS - 1], (long) a[TURNS]);
        System.out.printf(
            "  every turn, cache: %s%n  every turn, no cache: %s%n",
            Arrays.toString(Arrays.stream(a, 0, TURNS).mapToLong(Math::round).toArray()),
            Arrays.toString(Arrays.stream(b, 0, TURNS).mapToLong(Math::round).toArray()));
      }
      report("with the cache", withCache);
      report("without", without);
    }
  }

  private static LocalGptModel load(Path directory, int threads, long cacheBytes) {
    return LocalGptModel.builder(directory)
        .device(LocalDevice.cpu())
        .backend(ComputeBackend.JAVA)
        .threads(threads)
        .chatFormat(ChatFormat.dialoGpt())
        .promptCacheBytes(cacheBytes)
        .build();
  }

  /** Returns the time to first token of each turn in ms, then the last prompt's token count. */
  private static double[] converse(LocalGptModel model, String topic) {
    List<Message> history = new ArrayList<>();
    double[] result = new double[TURNS + 1];
    StringBuilder reuse = new StringBuilder();
    for (int turn = 1; turn <= TURNS; turn++) {
      history.add(
          Message.user(
              "In the "
                  + topic
                  + " conversation, turn "
                  + turn
                  + ": which of the teas in the shop would you pick for a cold evening, and why?"));
      long start = System.nanoTime();
      long[] first = {0};
      ChatResponse reply =
          model.generate(
              ChatRequest.of(history).withOptions(REPLY),
              delta -> {
                if (first[0] == 0) {
                  first[0] = System.nanoTime();
                }
              },
              Cancellation.none());
      long end = first[0] == 0 ? System.nanoTime() : first[0];
      result[turn - 1] = (end - start) / 1e6;
      result[TURNS] = reply.usage().inputTokens();
      reuse
          .append(' ')
          .append(model.lastReusedTokens())
          .append('/')
          .append(reply.usage().inputTokens());
      history.add(reply.message());
    }
    System.out.println("  " + topic + ", reused/prompt tokens by turn:" + reuse);
    return result;
  }

  private static void report(String label, List<double[]> runs) {
    double[] turn1 = runs.stream().mapToDouble(r -> r[0]).sorted().toArray();
    double[] turn10 = runs.stream().mapToDouble(r -> r[TURNS - 1]).sorted().toArray();
    double m1 = turn1[turn1.length / 2];
    double m10 = turn10[turn10.length / 2];
    System.out.printf(
        "%s: median TTFT turn 1 %.0f ms, turn 10 %.0f ms (%.2fx); turn 1 %s, turn 10 %s%n",
        label, m1, m10, m10 / m1, Arrays.toString(turn1), Arrays.toString(turn10));
  }
}
