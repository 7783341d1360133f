package dev.colloquy.bench.local;

import ai.djl.Device;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.functions.Generator;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.fixture.ReferenceGpt2;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.runtime.DjlGptRuntime;
import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.GptSequence;
import dev.colloquy.model.local.internal.runtime.JavaGptRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * GPT-2-small shape (124M random weights, fp32, batch 1): a 32-token prompt then 128 greedy new
 * tokens, on our Java kernels and on Jlama over the same safetensors file (and optionally DJL),
 * plus the memory-bandwidth ceiling.
 *
 * <p>Each engine runs in its own child JVM (same flags), so its peak RSS (VmHWM) is its own; the
 * rounds alternate ours and Jlama, so both see the same machine load, and the medians are over
 * the rounds. Usage: LocalRuntimeBenchmark [MODEL_DIR] [THREADS] [ROUNDS] [EXTRA_ENGINE...]
 * where an extra engine is djl, ours-scalar, ours-1, jlama-bf16 or ours-bf16.
 */
public final class LocalRuntimeBenchmark {

  private static final int PROMPT = 32;
  private static final int NEW_TOKENS = 128;
  private static final int REPEATS = 3; // generations per child JVM; it reports their median

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
      return;
    }
    Path directory = Path.of(args.length > 0 ? args[0] : "target/gpt2-small-random");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    // Extra engines: "djl" (DJL PyTorch), "ours-scalar" (the Java 17 kernel), "ours-1" (one thread),
    // "jlama-bf16" and "ours-bf16" (the same model saved as BF16).
    List<String> engines = new ArrayList<>(List.of("ours", "jlama"));
    engines.addAll(Arrays.asList(args).subList(Math.min(3, args.length), args.length));
    if (!Files.exists(directory.resolve("model.safetensors"))) {
      RandomGpt2Checkpoint.gpt2Small().writeTo(directory);
    }
    if (engines.stream().anyMatch(e -> e.endsWith("-bf16"))) {
      bf16Copy(directory); // written here, so that no child's peak memory counts it
    }
    long weightBytes = Files.size(directory.resolve("model.safetensors"));
    System.out.printf("machine: %d cores, %s; load average %s%n", Runtime.getRuntime().availableProcessors(),
        Machine.cpuModel(), Machine.loadAverage());
    spawn("check", directory, threads); // the vector kernel against the reference forward pass, tiny model

    Map<String, List<double[]>> results = new LinkedHashMap<>();
    List<Double> bandwidths = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      double bandwidth = Machine.bandwidthGigabytesPerSecond(threads);
      bandwidths.add(bandwidth);
      System.out.printf("round %d: bandwidth %.1f GB/s (best of 1 and %d threads) -> fp32 ceiling %.1f tok/s;"
          + " load average %s%n", round, bandwidth, threads, bandwidth * 1e9 / weightBytes, Machine.loadAverage());
      for (String engine : engines) {
        if (engine.equals("djl") && round > 1) {
          continue; // slow, and only a reference: once
        }
        double[] figures = spawn(engine, directory, threads);
        results.computeIfAbsent(engine, e -> new ArrayList<>()).add(figures);
      }
    }
    double bandwidth = Machine.median(bandwidths.stream().mapToDouble(Double::doubleValue).toArray());
    System.out.printf("%nmedians of %d rounds (%d threads):%n", rounds, threads);
    System.out.printf("%-32s %8s %12s %12s %12s %10s%n", "engine", "load ms", "prompt tok/s", "decode tok/s",
        "peak RSS MiB", "heap MiB");
    for (Map.Entry<String, List<double[]>> entry : results.entrySet()) {
      List<double[]> runs = entry.getValue();
      double[] decode = runs.stream().mapToDouble(f -> f[2]).toArray();
      System.out.printf("%-32s %8.0f %12.1f %12.1f %12.0f %10.0f   decode per round %s%n", label(entry.getKey()),
          Machine.median(runs.stream().mapToDouble(f -> f[0]).toArray()), Machine.median(runs.stream().mapToDouble(f -> f[1]).toArray()),
          Machine.median(decode), Machine.median(runs.stream().mapToDouble(f -> f[3]).toArray()),
          Machine.median(runs.stream().mapToDouble(f -> f[4]).toArray()), Arrays.toString(decode));
    }
    System.out.printf("%-32s %34.1f   (%.1f GB/s / %d MB of weights)%n", "bandwidth ceiling fp32",
        bandwidth * 1e9 / weightBytes, bandwidth, weightBytes / 1_000_000);
  }

  private static String label(String engine) {
    return switch (engine) {
      case "ours" -> "colloquy java kernels";
      case "ours-scalar" -> "colloquy java, Java 17 kernel";
      case "ours-1" -> "colloquy java kernels, 1 thread";
      case "ours-bf16" -> "colloquy java, bf16 file (as f32)";
      case "jlama-bf16" -> "jlama 0.8.4 bf16 weights";
      case "jlama" -> "jlama 0.8.4 fp32";
      case "djl" -> "colloquy DJL PyTorch cpu";
      default -> engine;
    };
  }

  /** Runs one engine in a child JVM with this JVM's flags; returns load ms, prompt tok/s, decode tok/s, RSS MiB, heap MiB. */
  private static double[] spawn(String engine, Path directory, int threads) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalRuntimeBenchmark.class.getName(),
        "--child", engine, directory.toString(), Integer.toString(threads)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    double[] figures = null;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          figures = Arrays.stream(line.substring(7).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        } else if (!line.startsWith("WARNING: ") && !line.contains("SLF4J")) {
          System.out.println("  [" + engine + "] " + line);
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || (figures == null && !engine.equals("check"))) {
      throw new IllegalStateException(engine + " child failed with exit code " + exit);
    }
    return figures;
  }

  private static void child(String engine, Path directory, int threads) throws Exception {
    switch (engine) {
      case "check" -> check(threads);
      case "ours", "ours-scalar", "ours-1", "ours-bf16" -> {
        Path file = engine.equals("ours-bf16") ? bf16Copy(directory) : directory;
        long t0 = System.nanoTime();
        GptWeights weights = CheckpointReader.read(file);
        JavaGptRuntime runtime = new JavaGptRuntime(weights, engine.equals("ours-1") ? 1 : threads,
            !engine.equals("ours-scalar"));
        weights = null;
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(runtime.description());
        measure(runtime, loadMs);
        runtime.close();
      }
      case "djl" -> {
        long t0 = System.nanoTime();
        GptRuntime runtime = new DjlGptRuntime(CheckpointReader.read(directory), Device.cpu());
        measure(runtime, (System.nanoTime() - t0) / 1_000_000);
        runtime.close();
      }
      case "jlama", "jlama-bf16" -> {
        Path file = engine.equals("jlama") ? directory : bf16Copy(directory);
        long t0 = System.nanoTime();
        AbstractModel jlama = ModelSupport.loadModel(file.toFile(), DType.F32, DType.F32);
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        StringBuilder prompt = new StringBuilder();
        for (int i = 0; i < PROMPT; i++) {
          prompt.append(" word");
        }
        jlama.generate(UUID.randomUUID(), PromptContext.of(prompt.toString()), 0f, PROMPT + 16, (s, f) -> { });
        double[] promptRates = new double[REPEATS];
        double[] decodeRates = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
          Generator.Response response = jlama.generate(UUID.randomUUID(), PromptContext.of(prompt.toString()), 0f,
              PROMPT + NEW_TOKENS, (s, f) -> { }); // Jlama's limit counts the prompt too
          promptRates[i] = response.promptTokens * 1000.0 / Math.max(1, response.promptTimeMs);
          decodeRates[i] = response.generatedTokens * 1000.0 / Math.max(1, response.generateTimeMs);
        }
        report(loadMs, Machine.median(promptRates), Machine.median(decodeRates));
        jlama.close();
      }
      default -> throw new IllegalArgumentException("unknown engine " + engine);
    }
  }

  /** The same random model with BF16 weights (Jlama computes on them; we widen them to F32 at load). */
  private static Path bf16Copy(Path directory) {
    Path copy = directory.resolveSibling(directory.getFileName() + "-bf16");
    if (!Files.exists(copy.resolve("model.safetensors"))) {
      RandomGpt2Checkpoint.gpt2Small().withDtype("BF16").writeTo(copy);
    }
    return copy;
  }

  /** The module's tests run on Java 17 with the plain kernel; this checks the vector kernel the same way. */
  private static void check(int threads) throws IOException {
    Path directory = Files.createTempDirectory("colloquy-tiny");
    GptWeights weights = CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory));
    int[] tokens = {31373, 995, 11, 314, 716, 257, 1332, 50256, 0, 50255};
    double[][] expected = new ReferenceGpt2(weights).logits(tokens);
    try (JavaGptRuntime runtime = new JavaGptRuntime(weights, threads);
        GptSequence whole = runtime.newSequence(tokens.length);
        GptSequence cached = runtime.newSequence(tokens.length)) {
      double largest = difference(whole.append(tokens), expected[tokens.length - 1]);
      cached.append(Arrays.copyOf(tokens, 3));
      for (int t = 3; t < tokens.length; t++) {
        largest = Math.max(largest, difference(cached.append(new int[] {tokens[t]}), expected[t]));
      }
      System.out.printf("check (%s): largest logit difference to the reference %.2e (must be < 1e-4)%n",
          runtime.description(), largest);
      if (largest >= 1e-4) {
        throw new IllegalStateException("the kernels disagree with the reference forward pass");
      }
    }
  }

  private static double difference(float[] actual, double[] reference) {
    double largest = 0;
    for (int v = 0; v < reference.length; v++) {
      largest = Math.max(largest, Math.abs(actual[v] - reference[v]));
    }
    return largest;
  }

  private static void measure(GptRuntime runtime, long loadMs) {
    int[] prompt = new int[PROMPT];
    for (int i = 0; i < PROMPT; i++) {
      prompt[i] = 1000 + 37 * i;
    }
    run(runtime, prompt, 16); // warm-up
    double[] promptRates = new double[REPEATS];
    double[] decodeRates = new double[REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      long[] times = run(runtime, prompt, NEW_TOKENS);
      promptRates[i] = PROMPT * 1e9 / times[0];
      decodeRates[i] = NEW_TOKENS * 1e9 / times[1];
    }
    report(loadMs, Machine.median(promptRates), Machine.median(decodeRates));
  }

  private static void report(long loadMs, double promptRate, double decodeRate) {
    System.out.printf("RESULT %d %.2f %.2f %d %d%n", loadMs, promptRate, decodeRate, Machine.peakRssMib(), Machine.heapPeakMib());
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
}
