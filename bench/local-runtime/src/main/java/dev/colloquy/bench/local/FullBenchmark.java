package dev.colloquy.bench.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The local-runtime benchmark of issue 18 (docs/benchmarks.md, "Local runtime"): ours against
 * Jlama 0.8.4 per model and weight format, each run in a fresh child JVM, rounds alternating which
 * engine goes first, plus the bandwidth ceiling, and one markdown table per model ({@link Report}).
 *
 * <p>Usage: {@code FullBenchmark [--name value]...}, every option with a default:
 *
 * <pre>
 * --work target/full          where the model files are written (once) and kept
 * --models gpt2-small,llama-small   see {@link BenchModel#parse}: also llama-1b, llama:L:W:H:KV:INNER:VOCAB
 * --formats F32,BF16,Q8_0,Q4_0      per model (no GGUF files for GPT-2: ours runs its F32 and
 *                                   BF16); F32>Q8_0 adds ours quantizing the F32 folder at load
 *                                   (WeightFormat.Q8_0)
 * --threads N (all cores)  --rounds 3  --repeats 2  --prompt 32  --new-tokens 128
 * --turns 10  --reply-tokens 32  --levels 1,4,8,16  --level-tokens 64
 * --concurrency-format Q8_0   ours' format that runs the concurrent levels, in round 1 only
 *                             (GPT-2: F32); "none" skips them
 * --xmx 3g  (each engine's JVM)   --prepare-xmx 4g  (the JVM that writes the files)
 * --min-heap 1.1,1.2,1.3,1.5,2,3   after the rounds: the smallest of these fractions of the weights'
 *                             bytes that, as -Xmx, lets ours load each format; and the smallest that
 *                             lets it load and generate 4 tokens ("none" skips)
 * </pre>
 */
public final class FullBenchmark {

  private FullBenchmark() {}

  /** One child's figures, or why it failed. */
  record Outcome(Map<String, Double> figures, String failure) {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Arrays.asList(args).subList(1, args.length));
      return;
    }
    Map<String, String> options = options(args);
    Path work = Path.of(options.getOrDefault("work", "target/full"));
    List<BenchModel> models = Arrays.stream(options.getOrDefault("models", "gpt2-small,llama-small").split(","))
        .map(BenchModel::parse).toList();
    List<String> formats = List.of(options.getOrDefault("formats", "F32,BF16,Q8_0,Q4_0").split(","));
    int threads = Integer.parseInt(options.getOrDefault("threads",
        Integer.toString(Runtime.getRuntime().availableProcessors())));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    List<Integer> levels = Arrays.stream(options.getOrDefault("levels", "1,4,8,16").split(","))
        .map(Integer::valueOf).toList();
    EngineRun.Settings plain = new EngineRun.Settings(threads, Integer.parseInt(options.getOrDefault("prompt", "32")),
        Integer.parseInt(options.getOrDefault("new-tokens", "128")),
        Integer.parseInt(options.getOrDefault("repeats", "2")), Integer.parseInt(options.getOrDefault("turns", "10")),
        Integer.parseInt(options.getOrDefault("reply-tokens", "32")), List.of(),
        Integer.parseInt(options.getOrDefault("level-tokens", "64")));
    EngineRun.Settings withLevels = new EngineRun.Settings(plain.threads(), plain.prompt(), plain.newTokens(),
        plain.repeats(), plain.turns(), plain.replyTokens(), levels, plain.levelTokens());
    String concurrencyFormat = options.getOrDefault("concurrency-format", "Q8_0");
    String xmx = options.getOrDefault("xmx", "3g");

    System.out.printf("machine: %d cores, %s; Java %s; load average %s%n", Runtime.getRuntime().availableProcessors(),
        Machine.cpuModel(), System.getProperty("java.version"), Machine.loadAverage());
    System.out.printf("settings: %d threads, %d rounds, %d generations per child of a %d-token prompt and %d"
        + " new tokens, %d-turn conversation with %d-token replies, levels %s of %d tokens, child -Xmx%s%n",
        threads, rounds, plain.repeats(), plain.prompt(), plain.newTokens(), plain.turns(), plain.replyTokens(),
        levels, plain.levelTokens(), xmx);
    for (BenchModel model : models) {
      Outcome prepared = spawn("prepare " + model.name(), options.getOrDefault("prepare-xmx", "4g"),
          List.of("prepare", model.spec(), work.toString()));
      if (prepared.failure() != null) {
        throw new IllegalStateException("writing the model files failed: " + prepared.failure());
      }
    }

    Report report = new Report(models, formats);
    for (int round = 1; round <= rounds; round++) {
      Outcome bandwidth = spawn("bandwidth", "1g", List.of("bandwidth", Integer.toString(threads)));
      double gigabytes = bandwidth.failure() == null ? bandwidth.figures().get("bandwidth_gbps") : Double.NaN;
      report.bandwidth(gigabytes);
      System.out.printf(Locale.ROOT, "round %d: bandwidth %.1f GB/s (best of 1 and %d threads); load average %s%n",
          round, gigabytes, threads, Machine.loadAverage());
      for (BenchModel model : models) {
        for (String format : formats) {
          List<String> engines = new ArrayList<>();
          if (Report.oursRuns(model, format)) {
            engines.add("ours");
          }
          if (Report.jlamaRuns(model, format)) {
            engines.add("jlama");
          }
          if (round % 2 == 0) {
            java.util.Collections.reverse(engines);
          }
          for (String engine : engines) {
            boolean levelsHere = engine.equals("ours") && round == 1
                && format.equals(model.gpt2() ? "F32" : concurrencyFormat);
            Path path = engine.equals("ours")
                ? model.oursPath(work, format.equals("F32>Q8_0") ? "F32" : format)
                : JlamaFormats.folder(model, work, format);
            List<String> command = new ArrayList<>(List.of("run", engine, path.toString(),
                Boolean.toString(format.equals("F32>Q8_0"))));
            command.addAll((levelsHere ? withLevels : plain).toArgs());
            Outcome outcome = spawn(engine + " " + model.name() + " " + format, xmx, command);
            report.add(model, engine, format, outcome);
            System.out.printf(Locale.ROOT, "  %s %s %s: %s; load average %s%n", engine, model.name(), format,
                outcome.failure() != null ? "FAILED " + outcome.failure()
                    : String.format(Locale.ROOT, "decode %.2f tok/s", outcome.figures().get("decode_tps")),
                Machine.loadAverage());
          }
        }
      }
    }
    String fractions = options.getOrDefault("min-heap", "1.1,1.2,1.3,1.5,2,3");
    if (!fractions.equals("none")) {
      for (BenchModel model : models) {
        for (String format : formats) {
          if (Report.oursRuns(model, format)) {
            report.minHeap(model, format, minHeap(model, format, work, fractions, false),
                minHeap(model, format, work, fractions, true));
          }
        }
      }
    }
    System.out.println();
    report.print(System.out, threads, rounds);
  }

  /**
   * The smallest of the fractions of the weights' bytes that, as the child's -Xmx, lets ours load the
   * model (and, with {@code generate}, then generate a few tokens); NaN when none does.
   */
  private static double minHeap(BenchModel model, String format, Path work, String fractions,
      boolean generate) throws IOException, InterruptedException {
    boolean atLoad = format.equals("F32>Q8_0");
    Path path = model.oursPath(work, atLoad ? "F32" : format);
    long bytes = model.bytesPerToken(Report.computedFormat(format));
    for (String fraction : fractions.split(",")) {
      String xmx = (long) Math.ceil(Double.parseDouble(fraction) * bytes / (1 << 20)) + "m";
      Outcome outcome = spawn("heap " + model.name() + " " + format + " -Xmx" + xmx, xmx,
          List.of("load", path.toString(), Boolean.toString(atLoad), Boolean.toString(generate)));
      boolean loaded = outcome.failure() == null && outcome.figures().containsKey("loaded");
      System.out.printf(Locale.ROOT, "  ours %s %s with -Xmx%s (%s× the weights): %s%n", model.name(), format, xmx,
          fraction, loaded ? (generate ? "loads and generates" : "loads") : "fails");
      if (loaded) {
        return Double.parseDouble(fraction);
      }
    }
    return Double.NaN;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  /** Runs a child JVM with this JVM's flags but its own heap limit; collects its RESULT lines. */
  static Outcome spawn(String label, String xmx, List<String> arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-Xmx"))
        .forEach(command::add);
    command.add("-Xmx" + xmx);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), FullBenchmark.class.getName(), "--child"));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, Double> figures = new LinkedHashMap<>();
    String lastError = null;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          String[] parts = line.split(" ");
          figures.put(parts[1], Double.parseDouble(parts[2]));
        } else if (!line.startsWith("WARNING: ") && !line.contains("SLF4J")) {
          System.out.println("    [" + label + "] " + line);
          if (line.contains("Exception") || line.contains("Error")) {
            lastError = lastError == null ? line.trim() : lastError;
          }
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0) {
      return new Outcome(figures, "exit " + exit + (lastError == null ? "" : ": " + lastError));
    }
    return new Outcome(figures, null);
  }

  private static void child(List<String> args) throws Exception {
    switch (args.get(0)) {
      case "prepare" -> {
        BenchModel model = BenchModel.parse(args.get(1));
        Path work = Path.of(args.get(2));
        model.write(work);
        JlamaFormats.write(model, work);
      }
      case "bandwidth" -> System.out.printf(Locale.ROOT, "RESULT bandwidth_gbps %.3f%n",
          Machine.bandwidthGigabytesPerSecond(Integer.parseInt(args.get(1))));
      case "load" -> EngineRun.load(Path.of(args.get(1)), Boolean.parseBoolean(args.get(2)),
          Boolean.parseBoolean(args.get(3)));
      case "run" -> EngineRun.run(args.get(1), Path.of(args.get(2)), Boolean.parseBoolean(args.get(3)),
          EngineRun.Settings.fromArgs(args.subList(4, args.size())));
      default -> throw new IllegalArgumentException("unknown child " + args.get(0));
    }
  }
}
