package dev.colloquy.model.local.internal.runtime;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU decode speed of the DJL engines against {@link PlainDjlGpt2}, a plain DJL graph with a KV
 * cache (docs/local.md, "The DJL engine on the CPU"). Not a test: run it by hand from the test
 * classes, e.g.
 *
 * <pre>
 * java -Xmx4g -cp test-classes:classes:DEPS \
 *   dev.colloquy.model.local.internal.runtime.DjlDecodeBenchmark target/djl-bench 5 32 64
 * </pre>
 *
 * <p>Arguments: DIRECTORY ROUNDS [PROMPT] [DECODE]. Random checkpoints of GPT-2-small's shape and
 * of SmolLM-135M's (a Llama: 30 layers, width 576, 9 heads sharing 3 key/value heads) are written
 * under DIRECTORY if absent. All engines load once into this JVM; each round runs one greedy
 * generation on each in the same order (GPT-2 engine, reference, Llama engine), so that
 * neighbouring measurements see the same machine load; the medians are over the rounds. Before
 * timing, the GPT-2 engine's logits are checked against the reference's. libtorch's threads are the
 * engines' choice ({@link DjlEnvironment#cpuThreads()}; {@code -Dai.djl.pytorch.num_threads=N} sets
 * it); the reference runs on the same thread after them, so with the same count.
 */
public final class DjlDecodeBenchmark {

  private DjlDecodeBenchmark() {}

  /** One engine under test: a fresh sequence per generation. */
  private interface Engine extends AutoCloseable {
    Stepper start(int capacity);

    @Override
    void close();
  }

  private interface Stepper extends AutoCloseable {
    float[] append(int[] tokens);

    @Override
    void close();
  }

  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args.length > 0 ? args[0] : "target/djl-bench");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int prompt = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int decode = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    Path gpt2 = directory.resolve("gpt2-small");
    Path llama = directory.resolve("smollm-135m");
    if (!Files.exists(gpt2.resolve("config.json"))) {
      RandomGpt2Checkpoint.gpt2Small().writeTo(gpt2);
    }
    if (!Files.exists(llama.resolve("config.json"))) {
      DecoderGpuCheck.shape("smollm-135m").writeTo(llama);
    }
    Map<String, Engine> engines = new LinkedHashMap<>();
    GptWeights gptWeights = CheckpointReader.read(gpt2);
    engines.put("gpt2 DjlGptRuntime", runtime(new DjlGptRuntime(gptWeights, Device.cpu())));
    engines.put("gpt2 plain DJL reference", reference(new PlainDjlGpt2(gptWeights)));
    gptWeights = null;
    DecoderWeights decoderWeights =
        SafetensorsDecoderReader.read(llama, DecoderConfig.read(llama.resolve("config.json")));
    engines.put(
        "smollm-135m DjlDecoderRuntime",
        runtime(new DjlDecoderRuntime(decoderWeights, Device.cpu())));
    decoderWeights = null;
    checkAgainstReference(
        engines.get("gpt2 DjlGptRuntime"), engines.get("gpt2 plain DJL reference"), prompt);
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    for (Map.Entry<String, Engine> entry : engines.entrySet()) {
      generate(entry.getValue(), prompt, 8); // warm-up
    }
    System.out.printf(
        Locale.ROOT,
        "java %s, %d cores, torch intra-op threads after warm-up %d, inter-op %d, prompt %d, decode %d%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        JniUtils.getNumThreads(),
        JniUtils.getNumInteropThreads(),
        prompt,
        decode);
    for (int round = 1; round <= rounds; round++) {
      StringBuilder line = new StringBuilder("round " + round + ", load " + loadAverage() + ":");
      for (Map.Entry<String, Engine> entry : engines.entrySet()) {
        double[] rates = generate(entry.getValue(), prompt, decode);
        results.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(rates);
        line.append(String.format(Locale.ROOT, " %s %.1f;", entry.getKey(), rates[1]));
      }
      System.out.println(line);
    }
    System.out.printf(
        Locale.ROOT,
        "%nmedians of %d rounds, load %s%n%-36s %12s %12s %14s%n",
        rounds,
        loadAverage(),
        "engine",
        "prefill t/s",
        "decode t/s",
        "cpu ms/token");
    for (Map.Entry<String, List<double[]>> entry : results.entrySet()) {
      double[] prefill = entry.getValue().stream().mapToDouble(r -> r[0]).toArray();
      double[] decodes = entry.getValue().stream().mapToDouble(r -> r[1]).toArray();
      double[] cpu = entry.getValue().stream().mapToDouble(r -> r[2]).toArray();
      System.out.printf(
          Locale.ROOT,
          "%-36s %12.1f %12.1f %14.1f   decode per round %s%n",
          entry.getKey(),
          median(prefill),
          median(decodes),
          median(cpu),
          Arrays.toString(Arrays.stream(decodes).map(d -> Math.round(d * 10) / 10.0).toArray()));
    }
    engines.values().forEach(Engine::close);
  }

  private static Engine runtime(GptRuntime runtime) {
    return new Engine() {
      @Override
      public Stepper start(int capacity) {
        GptSequence sequence = runtime.newSequence(capacity);
        return new Stepper() {
          @Override
          public float[] append(int[] tokens) {
            return sequence.append(tokens);
          }

          @Override
          public void close() {
            sequence.close();
          }
        };
      }

      @Override
      public void close() {
        runtime.close();
      }
    };
  }

  private static Engine reference(PlainDjlGpt2 model) {
    return new Engine() {
      @Override
      public Stepper start(int capacity) {
        PlainDjlGpt2.Sequence sequence = model.newSequence();
        return new Stepper() {
          @Override
          public float[] append(int[] tokens) {
            return sequence.append(tokens);
          }

          @Override
          public void close() {
            sequence.close();
          }
        };
      }

      @Override
      public void close() {
        model.close();
      }
    };
  }

  /**
   * Prefill then greedy decode; returns {prefill tokens/s, decode tokens/s, process CPU ms per
   * decoded token} (CPU time counts every thread of the process, libtorch's included: under load it
   * moves less than wall time).
   */
  private static double[] generate(Engine engine, int promptLength, int steps) {
    int[] prompt = prompt(promptLength);
    try (Stepper sequence = engine.start(promptLength + steps)) {
      long started = System.nanoTime();
      float[] logits = sequence.append(prompt);
      long prefilled = System.nanoTime();
      long cpu = cpuNanos();
      for (int k = 0; k < steps; k++) {
        logits = sequence.append(new int[] {argmax(logits)});
      }
      long decoded = System.nanoTime();
      return new double[] {
        promptLength * 1e9 / (prefilled - started),
        steps * 1e9 / (decoded - prefilled),
        (cpuNanos() - cpu) / 1e6 / steps
      };
    }
  }

  /** Prints the largest logit difference, relative to the largest logit, over a short decode. */
  private static void checkAgainstReference(Engine engine, Engine reference, int promptLength) {
    int[] prompt = prompt(promptLength);
    double worst = 0;
    try (Stepper a = engine.start(promptLength + 8);
        Stepper b = reference.start(promptLength + 8)) {
      float[] x = a.append(prompt);
      float[] y = b.append(prompt);
      for (int k = 0; k < 8; k++) {
        double scale = 0;
        double difference = 0;
        for (int v = 0; v < x.length; v++) {
          scale = Math.max(scale, Math.abs(y[v]));
          difference = Math.max(difference, Math.abs(x[v] - y[v]));
        }
        worst = Math.max(worst, difference / scale);
        int next = argmax(y);
        x = a.append(new int[] {next});
        y = b.append(new int[] {next});
      }
    }
    System.out.printf(
        Locale.ROOT, "engine against reference: max relative logit difference %.2e%n", worst);
    if (worst > 1e-4) {
      throw new IllegalStateException("the engine and the reference disagree");
    }
  }

  private static int[] prompt(int length) {
    int[] prompt = new int[length];
    for (int i = 0; i < length; i++) {
      prompt[i] = 1000 + 37 * i;
    }
    return prompt;
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int v = 1; v < logits.length; v++) {
      if (logits[v] > logits[best]) {
        best = v;
      }
    }
    return best;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
