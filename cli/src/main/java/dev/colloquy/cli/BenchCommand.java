package dev.colloquy.cli;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.demo.ShopAgent;
import dev.colloquy.demo.ShopModel;
import dev.colloquy.model.local.LocalGptModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code colloquy bench}: local decode speed over real replies of the demo shop: time to the first
 * token (prompt processing plus one step) and decode tokens per second after it, greedy.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark local decoding: time to first token and decode tokens/s (default: the embedded demo model).")
final class BenchCommand implements Callable<Integer> {

  private static final List<String> PROMPTS =
      List.of(
          "Where is my order 48213?",
          "How long does delivery take?",
          "我的订单10234到哪了？",
          "What is your return policy?",
          "你们几点营业？",
          "Hello");

  @Option(
      names = "--model-dir",
      paramLabel = "PATH",
      description = "A checkpoint folder (default: the embedded model).")
  Path modelDirectory;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Passes over the prompts after one warm-up pass (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "CPU kernel threads (default: all processors).")
  int threads;

  @Override
  public Integer call() {
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
    }
    Path dir = modelDirectory != null ? modelDirectory : ShopModel.directory();
    LocalGptModel.Builder builder = LocalGptModel.builder(dir);
    if (threads > 0) {
      builder.threads(threads);
    }
    try (LocalGptModel model =
        new Progress(System.out, false).during("loading " + dir, builder::build)) {
      boolean tools = model.capabilities().toolCalling();
      long decodeNanos = 0;
      long decodeTokens = 0;
      long firstTokenNanos = 0;
      int replies = 0;
      for (int round = 0; round <= rounds; round++) {
        for (String prompt : PROMPTS) {
          ChatRequest request =
              new ChatRequest(
                  List.of(Message.system(ShopAgent.SYSTEM), Message.user(prompt)),
                  tools ? ShopAgent.tools() : List.of(),
                  ChatOptions.builder().temperature(0).maxTokens(64).build());
          long[] first = {0};
          long start = System.nanoTime();
          ChatResponse response =
              model.generate(
                  request,
                  new StreamListener() {
                    @Override
                    public void onText(String delta) {
                      mark();
                    }

                    @Override
                    public void onToolCall(ToolCall call) {
                      mark();
                    }

                    private void mark() {
                      if (first[0] == 0) {
                        first[0] = System.nanoTime();
                      }
                    }
                  },
                  dev.colloquy.core.Cancellation.none());
          long end = System.nanoTime();
          if (round > 0 && first[0] > 0 && response.usage().outputTokens() > 1) {
            firstTokenNanos += first[0] - start;
            decodeNanos += end - first[0];
            decodeTokens += response.usage().outputTokens() - 1;
            replies++;
          }
        }
      }
      System.out.println("runtime: " + model.runtimeDescription());
      System.out.printf("replies: %d, decode tokens: %d%n", replies, decodeTokens);
      System.out.printf(
          "time to first token: %.1f ms (mean)%n", firstTokenNanos / 1e6 / Math.max(1, replies));
      System.out.printf("decode: %.0f tokens/s%n", decodeTokens / (decodeNanos / 1e9));
    }
    return 0;
  }
}
