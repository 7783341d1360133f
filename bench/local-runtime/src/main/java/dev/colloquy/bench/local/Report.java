package dev.colloquy.bench.local;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Collects the children's figures over the rounds and prints, per model, one markdown table (medians
 * over the rounds), the bandwidth ceilings, the concurrent conversations and the targets.
 */
final class Report {

  private final List<BenchModel> models;
  private final List<String> formats;
  private final List<Double> bandwidths = new ArrayList<>();
  private final Map<String, List<FullBenchmark.Outcome>> outcomes = new LinkedHashMap<>();
  private final Map<String, Double> minHeaps = new LinkedHashMap<>();
  private final Map<String, Double> minHeapsGenerating = new LinkedHashMap<>();

  Report(List<BenchModel> models, List<String> formats) {
    this.models = models;
    this.formats = formats;
  }

  /**
   * The smallest -Xmx ÷ weights found to load the format, and to load it and generate a few tokens
   * (NaN: none of those tried).
   */
  void minHeap(BenchModel model, String format, double loading, double generating) {
    minHeaps.put(key(model, "ours", format), loading);
    minHeapsGenerating.put(key(model, "ours", format), generating);
  }

  /** Whether ours runs the format on the model. */
  static boolean oursRuns(BenchModel model, String format) {
    // No GGUF file is written for GPT-2: ours runs its F32 and BF16 files and F32 quantized at load.
    return !model.gpt2() || !format.startsWith("Q");
  }

  /** Whether Jlama runs the format on the model (F32>Q8_0 is ours quantizing at load). */
  static boolean jlamaRuns(BenchModel model, String format) {
    return !format.equals("F32>Q8_0") && jlamaCannot(model, format) == null;
  }

  /** Why Jlama 0.8.4 cannot run a format on a model (checked, see the messages), or null. */
  static String jlamaCannot(BenchModel model, String format) {
    if (format.equals("Q8_0")) {
      // PanamaTensorOperations.batchDotProduct takes F32, BF16 and Q4 weights only
      return "not run: Jlama's Java operations have no matmul for I8 weights (UnsupportedOperationException: I8)";
    }
    if (format.equals("Q4_0") && model.gpt2()) {
      // GPT2Model transposes the Conv1D weights at load, which a Q4 tensor cannot (Q4ByteBufferTensor.set)
      return "not run: Jlama's GPT-2 transposes its weights at load, which its Q4 tensors cannot"
          + " (UnsupportedOperationException in Q4ByteBufferTensor.set)";
    }
    return null;
  }

  void bandwidth(double gigabytesPerSecond) {
    bandwidths.add(gigabytesPerSecond);
  }

  void add(BenchModel model, String engine, String format, FullBenchmark.Outcome outcome) {
    outcomes.computeIfAbsent(key(model, engine, format), k -> new ArrayList<>()).add(outcome);
  }

  private static String key(BenchModel model, String engine, String format) {
    return model.name() + "/" + engine + "/" + format;
  }

  /** The format whose bytes a decode step reads. */
  static String computedFormat(String format) {
    return format.equals("F32>Q8_0") ? "Q8_0" : format;
  }

  private static String label(String engine, String format) {
    if (engine.equals("ours")) {
      return switch (format) {
        case "Q8_0", "Q4_0" -> "**Colloquy**, GGUF " + format;
        case "F32>Q8_0" -> "**Colloquy**, F32 file, WeightFormat.Q8_0 at load";
        default -> "**Colloquy**, safetensors " + format;
      };
    }
    return switch (format) {
      case "Q8_0" -> "Jlama 0.8.4, its Q8 (I8) quantization";
      case "Q4_0" -> "Jlama 0.8.4, its Q4 quantization";
      default -> "Jlama 0.8.4, safetensors " + format;
    };
  }

  /** The median of one figure over the successful rounds; NaN if none has it. */
  private double median(BenchModel model, String engine, String format, String figure) {
    return Machine.median(values(model, engine, format, figure));
  }

  private double[] values(BenchModel model, String engine, String format, String figure) {
    return outcomes.getOrDefault(key(model, engine, format), List.of()).stream()
        .filter(o -> o.failure() == null).map(o -> o.figures().get(figure)).filter(Objects::nonNull)
        .mapToDouble(Double::doubleValue).toArray();
  }

  private double ceiling(BenchModel model, String format) {
    return Machine.median(bandwidths.stream().mapToDouble(Double::doubleValue).toArray()) * 1e9
        / model.bytesPerToken(computedFormat(format));
  }

  /** Jlama's fastest format on the model by median decode: {format, tok/s}, or null. */
  private Object[] jlamaBest(BenchModel model) {
    Object[] best = null;
    for (String format : formats) {
      double decode = median(model, "jlama", format, "decode_tps");
      if (!Double.isNaN(decode) && (best == null || decode > (double) best[1])) {
        best = new Object[] {format, decode};
      }
    }
    return best;
  }

  void print(PrintStream out, int threads, int rounds) {
    out.printf(Locale.ROOT, "bandwidth per round (GB/s): %s; median %.1f%n", join(bandwidths.stream()
        .mapToDouble(Double::doubleValue).toArray(), "%.1f"), Machine.median(bandwidths.stream()
        .mapToDouble(Double::doubleValue).toArray()));
    for (BenchModel model : models) {
      out.printf(Locale.ROOT, "%n### %s (%d threads, medians of %d rounds)%n%n", model.describe(), threads, rounds);
      out.println("| engine | format | weights MB | load s | heap peak at load MiB (÷ weights) | live heap MiB"
          + " | heap peak MiB | peak RSS MiB | prefill tok/s | decode tok/s | decode per round | % of ceiling"
          + " | ÷ Jlama best | TTFT turn 1 ms | TTFT last turn ms | last ÷ 1 |");
      out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
      Object[] best = jlamaBest(model);
      for (String format : formats) {
        for (String engine : List.of("ours", "jlama")) {
          if (engine.equals("ours") ? oursRuns(model, format) : jlamaRuns(model, format)) {
            out.println(row(model, engine, format, best));
          } else if (engine.equals("jlama") && jlamaCannot(model, format) != null) {
            out.println("| " + label(engine, format) + " | " + format + " | " + jlamaCannot(model, format)
                + " |||||||||||||");
          }
        }
      }
      for (String format : formats) {
        if (format.equals("F32>Q8_0")) {
          continue;
        }
        double[] perRound = bandwidths.stream().mapToDouble(b -> b * 1e9 / model.bytesPerToken(format)).toArray();
        out.printf(Locale.ROOT, "| bandwidth ceiling | %s | %.0f | | | | | | | %.1f | %s | | | | | |%n", format,
            model.bytesPerToken(format) / 1e6, ceiling(model, format), join(perRound, "%.1f"));
      }
      concurrency(out, model);
      targets(out, model, best);
    }
  }

  private String row(BenchModel model, String engine, String format, Object[] best) {
    List<FullBenchmark.Outcome> runs = outcomes.getOrDefault(key(model, engine, format), List.of());
    long failed = runs.stream().filter(o -> o.failure() != null).count();
    String name = label(engine, format);
    if (failed == runs.size()) {
      String why = runs.isEmpty() ? "not run" : runs.get(0).failure().replace('|', '/');
      return "| " + name + " | " + format + " | failed: " + why + " |||||||||||||";
    }
    long weights = model.bytesPerToken(computedFormat(format));
    double heapAtLoad = median(model, engine, format, "heap_at_load_mib");
    double decode = median(model, engine, format, "decode_tps");
    double first = median(model, engine, format, "ttft_first_ms");
    double last = median(model, engine, format, "ttft_last_ms");
    return String.format(Locale.ROOT,
        "| %s%s | %s | %.0f | %.1f | %.0f (%.2f×) | %.0f | %.0f | %.0f | %.1f | %.2f | %s | %.0f%% | %s | %.0f | %.0f"
            + " | %.2f× |",
        name, failed > 0 ? " (" + failed + " of " + runs.size() + " rounds failed)" : "", format, weights / 1e6,
        median(model, engine, format, "load_ms") / 1000, heapAtLoad, heapAtLoad * (1 << 20) / weights,
        median(model, engine, format, "heap_live_mib"), median(model, engine, format, "heap_peak_mib"),
        median(model, engine, format, "rss_peak_mib"), median(model, engine, format, "prefill_tps"), decode,
        join(values(model, engine, format, "decode_tps"), "%.2f"), 100 * decode / ceiling(model, format),
        best == null ? "" : String.format(Locale.ROOT, "%.2f×", decode / (double) best[1]), first, last,
        last / first);
  }

  private void concurrency(PrintStream out, BenchModel model) {
    for (String format : formats) {
      double one = median(model, "ours", format, "aggregate_tps_1");
      double oneDecode = median(model, "ours", format, "decode_tps_1");
      List<String> rows = new ArrayList<>();
      for (int level : new int[] {1, 2, 4, 8, 16, 32, 64}) {
        double rate = median(model, "ours", format, "aggregate_tps_" + level);
        double decode = median(model, "ours", format, "decode_tps_" + level);
        if (!Double.isNaN(rate)) {
          rows.add(String.format(Locale.ROOT, "| %d | %.2f | %.2f× | %.2f | %.2f× |", level, rate, rate / one,
              decode, decode / oneDecode));
        }
      }
      if (!rows.isEmpty()) {
        out.printf("%nConcurrent conversations on one model (%s, round 1; each its own 32-token prompt;"
            + " aggregate = all tokens generated / wall time, prompts included; decode = tokens while all"
            + " conversations decode / that time):%n%n"
            + "| conversations | aggregate tok/s | ÷ 1 conversation | decode tok/s | ÷ 1 conversation |%n"
            + "|---|---|---|---|---|%n", label("ours", format));
        rows.forEach(out::println);
      }
    }
  }

  private void targets(PrintStream out, BenchModel model, Object[] best) {
    out.printf("%nTargets (issue 18):%n");
    StringJoiner decode = new StringJoiner("; ");
    StringJoiner ceiling = new StringJoiner("; ");
    StringJoiner ttft = new StringJoiner("; ");
    StringJoiner heap = new StringJoiner("; ");
    for (String format : formats) {
      if (!oursRuns(model, format) || Double.isNaN(median(model, "ours", format, "decode_tps"))) {
        continue;
      }
      double rate = median(model, "ours", format, "decode_tps");
      if (best != null) {
        decode.add(String.format(Locale.ROOT, "%s %.2f× %s", format, rate / (double) best[1],
            mark(rate / (double) best[1] >= 1.5)));
      }
      double share = rate / ceiling(model, format);
      ceiling.add(String.format(Locale.ROOT, "%s %.0f%% %s", format, 100 * share, mark(share >= 0.6)));
      double turns = median(model, "ours", format, "ttft_last_ms") / median(model, "ours", format, "ttft_first_ms");
      ttft.add(String.format(Locale.ROOT, "%s %.2f× %s", format, turns, mark(turns <= 1.3)));
    }
    for (String format : formats) {
      double ratio = median(model, "ours", format, "heap_at_load_mib") * (1 << 20)
          / model.bytesPerToken(computedFormat(format));
      Double smallest = minHeaps.get(key(model, "ours", format));
      if (smallest != null) {
        heap.add(Double.isNaN(smallest)
            ? String.format(Locale.ROOT, "%s: no -Xmx tried loads it (not met)", format)
            : String.format(Locale.ROOT, "%s loads with -Xmx %.2f× %s, loads and generates with %s%s",
                format, smallest, mark(smallest <= 1.2),
                fraction(minHeapsGenerating.get(key(model, "ours", format))),
                Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, " (pool peaks %.2f×)", ratio)));
      } else if (!Double.isNaN(ratio)) {
        heap.add(String.format(Locale.ROOT, "%s %.2f× by pool peaks %s", format, ratio, mark(ratio <= 1.2)));
      }
    }
    out.printf(Locale.ROOT, "- decode ≥ 1.5× Jlama's best (%s): %s%n", best == null ? "no Jlama figure"
        : String.format(Locale.ROOT, "%s, %.2f tok/s", best[0], (double) best[1]), decode);
    out.printf("- decode ≥ 60%% of the bandwidth ceiling: %s%n", ceiling);
    out.printf("- last turn's TTFT ≤ 1.3× turn 1's: %s%n", ttft);
    for (String format : formats) {
      double one = median(model, "ours", format, "decode_tps_1");
      double eight = median(model, "ours", format, "decode_tps_8");
      if (!Double.isNaN(one) && !Double.isNaN(eight)) {
        out.printf(Locale.ROOT, "- 8 conversations' aggregate decode ≥ 4× one's (%s): %.2f× %s (all tokens"
            + " over the wall time, prompts included: %.2f×)%n", format, eight / one, mark(eight / one >= 4),
            median(model, "ours", format, "aggregate_tps_8") / median(model, "ours", format, "aggregate_tps_1"));
      }
    }
    out.printf("- heap peak at load ≤ 1.2× the weights' bytes (the smallest -Xmx, of the fractions tried, that"
        + " loads the model; beside it, the smallest that loads it and generates 4 tokens, a conversation's"
        + " KV cache included): %s%n", heap);
  }

  private static String fraction(Double fraction) {
    return fraction == null || fraction.isNaN() ? "none tried"
        : String.format(Locale.ROOT, "%.2f×", fraction);
  }

  private static String mark(boolean met) {
    return met ? "(met)" : "(not met)";
  }

  private static String join(double[] values, String format) {
    StringJoiner joiner = new StringJoiner(", ");
    for (double value : values) {
      joiner.add(String.format(Locale.ROOT, format, value));
    }
    return joiner.toString();
  }
}
