package dev.colloquy.bench.local;

import ai.djl.Device;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.functions.Generator;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.runtime.DjlGptRuntime;
import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.GptSequence;
import dev.colloquy.model.local.internal.runtime.JavaGptRuntime;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * GPT-2-small shape (124M random weights, fp32, batch 1): a 32-token prompt then 128 greedy new
 * tokens, on our Java kernels, on DJL, and on Jlama over the same safetensors file; plus the
 * memory-bandwidth ceiling. Usage: LocalRuntimeBenchmark [MODEL_DIR] [THREADS].
 */
public final class LocalRuntimeBenchmark {

  private static final int PROMPT = 32;
  private static final int NEW_TOKENS = 128;

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args.length > 0 ? args[0] : "target/gpt2-small-random");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    if (!Files.exists(directory.resolve("model.safetensors"))) {
      RandomGpt2Checkpoint.gpt2Small().writeTo(directory);
    }
    double bandwidth = bandwidthGigabytesPerSecond(threads);
    long weightBytes = Files.size(directory.resolve("model.safetensors"));
    System.out.printf("machine: %d cores; bandwidth %.1f GB/s (%d threads) -> fp32 ceiling %.1f tok/s%n",
        Runtime.getRuntime().availableProcessors(), bandwidth, threads, bandwidth * 1e9 / weightBytes);

    long t0 = System.nanoTime();
    GptWeights weights = CheckpointReader.read(directory);
    JavaGptRuntime java = new JavaGptRuntime(weights, threads);
    weights = null;
    System.gc();
    long loadMs = (System.nanoTime() - t0) / 1_000_000;
    measure("colloquy java kernels (" + threads + " threads)", java, loadMs);
    java.close();
    java = null;
    System.gc();

    t0 = System.nanoTime();
    GptRuntime djl = new DjlGptRuntime(CheckpointReader.read(directory), Device.cpu());
    loadMs = (System.nanoTime() - t0) / 1_000_000;
    measure("colloquy DJL PyTorch cpu", djl, loadMs);
    djl.close();
    djl = null;
    System.gc();

    t0 = System.nanoTime();
    AbstractModel jlama = ModelSupport.loadModel(directory.toFile(), DType.F32, DType.F32);
    loadMs = (System.nanoTime() - t0) / 1_000_000;
    StringBuilder prompt = new StringBuilder();
    for (int i = 0; i < PROMPT; i++) {
      prompt.append(" word");
    }
    jlama.generate(UUID.randomUUID(), PromptContext.of(prompt.toString()), 0f, PROMPT + 16, (s, f) -> { });
    Generator.Response response = jlama.generate(UUID.randomUUID(), PromptContext.of(prompt.toString()), 0f,
        PROMPT + NEW_TOKENS, (s, f) -> { }); // Jlama's limit counts the prompt too
    System.out.printf("%-36s load %5d ms | prompt %6.1f tok/s | decode %5.1f tok/s (%d tokens) | heap peak %s%n",
        "jlama 0.8.4 fp32", loadMs, response.promptTokens * 1000.0 / Math.max(1, response.promptTimeMs),
        response.generatedTokens * 1000.0 / Math.max(1, response.generateTimeMs), response.generatedTokens, heapPeak());
    jlama.close();
  }

  private static void measure(String name, GptRuntime runtime, long loadMs) {
    int[] prompt = new int[PROMPT];
    for (int i = 0; i < PROMPT; i++) {
      prompt[i] = 1000 + 37 * i;
    }
    run(runtime, prompt, 16); // warm-up
    long[] times = run(runtime, prompt, NEW_TOKENS);
    System.out.printf("%-36s load %5d ms | prompt %6.1f tok/s | decode %5.1f tok/s (%d tokens) | heap peak %s%n",
        name, loadMs, PROMPT * 1e9 / times[0], NEW_TOKENS * 1e9 / times[1], NEW_TOKENS, heapPeak());
  }

  private static long[] run(GptRuntime runtime, int[] prompt, int newTokens) {
    try (GptSequence sequence = runtime.newSequence(prompt.length + newTokens)) {
      long start = System.nanoTime();
      float[] logits = sequence.append(prompt);
      long prefilled = System.nanoTime();
      for (int i = 0; i < newTokens; i++) {
        int next = 0;
        for (int v = 1; v < logits.length; v++) {
          if (logits[v] > logits[next]) {
            next = v;
          }
        }
        if (i + 1 < newTokens) {
          logits = sequence.append(new int[] {next});
        }
      }
      // The last token's forward is not needed: count newTokens - 1 forwards plus one sampling as newTokens.
      long decoded = System.nanoTime();
      return new long[] {prefilled - start, (decoded - prefilled) * newTokens / Math.max(1, newTokens - 1)};
    }
  }

  private static String heapPeak() {
    long peak = 0;
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return (peak >> 20) + " MiB";
  }

  /** Sums a 512 MiB array with {@code threads} threads: the rate decode can at best stream weights. */
  private static double bandwidthGigabytesPerSecond(int threads) throws InterruptedException {
    float[] data = new float[128 << 20];
    java.util.Arrays.fill(data, 1f);
    double best = 0;
    for (int round = 0; round < 5; round++) {
      Thread[] workers = new Thread[threads];
      float[] sums = new float[threads * 16];
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int part = t;
        workers[t] = new Thread(() -> {
          int chunk = data.length / threads;
          float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (int i = part * chunk; i < (part + 1) * chunk; i += 4) {
            s0 += data[i];
            s1 += data[i + 1];
            s2 += data[i + 2];
            s3 += data[i + 3];
          }
          sums[part * 16] = s0 + s1 + s2 + s3;
        });
        workers[t].start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
      best = Math.max(best, data.length * 4.0 / (System.nanoTime() - start));
    }
    return best;
  }
}
