package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderFamily;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.RopeScaling;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The accuracy cost of {@code weights(WeightFormat.Q8_0)} (and, for comparison, of F16, BF16 and
 * Q4_0) on a fixed text (docs/local.md, "Compressed weights"): a random-weight Llama-shaped model
 * (6 layers, width 512, 8 heads, 2 key/value heads, inner 1408, vocab 4096) reads the text's UTF-8
 * bytes as token ids, teacher-forced, and every position's logits are compared with the F32
 * model's: the largest and the mean absolute error, both also over the logits' standard deviation,
 * and how often the greedy choice agrees. Not a test; run with the test classpath.
 */
public final class QuantizationAccuracy {

  private QuantizationAccuracy() {}

  static final String TEXT =
      "It was the best of times, it was the worst of times, it was the age of wisdom, it was the"
          + " age of foolishness, it was the epoch of belief, it was the epoch of incredulity, it"
          + " was the season of Light, it was the season of Darkness, it was the spring of hope,"
          + " it was the winter of despair, we had everything before us, we had nothing before"
          + " us, we were all going direct to Heaven, we were all going direct the other way.";

  public static void main(String[] args) {
    DecoderConfig config =
        new DecoderConfig(
            DecoderFamily.LLAMA,
            6,
            512,
            8,
            2,
            64,
            1408,
            4096,
            1024,
            1e-5f,
            500000,
            64,
            RopeScaling.NONE,
            0,
            false,
            false,
            false,
            false,
            OptionalInt.of(1),
            List.of(2),
            DecoderConfig.Activation.SILU);
    byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
    int[] tokens = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      tokens[i] = bytes[i] & 0xff;
    }
    float[][] reference = logits(CompressedWeightsBenchmark.build(config, "F32"), tokens);
    System.out.printf(Locale.ROOT, "%d positions, vocab %d%n", tokens.length, 4096);
    report(
        "Q8_0 on load",
        CompressedWeightsBenchmark.build(config, "F32").quantizedToQ8_0(),
        tokens,
        reference);
    for (String format : List.of("F16", "BF16", "Q4_0")) {
      report(format, CompressedWeightsBenchmark.build(config, format), tokens, reference);
    }
  }

  private static void report(
      String name, DecoderWeights weights, int[] tokens, float[][] reference) {
    float[][] actual = logits(weights, tokens);
    double worst = 0;
    double sum = 0;
    double spread = 0;
    int agree = 0;
    long count = 0;
    for (int p = 0; p < tokens.length; p++) {
      double mean = 0;
      for (float value : reference[p]) {
        mean += value;
      }
      mean /= reference[p].length;
      double variance = 0;
      for (int v = 0; v < reference[p].length; v++) {
        double error = Math.abs(actual[p][v] - reference[p][v]);
        worst = Math.max(worst, error);
        sum += error;
        variance += (reference[p][v] - mean) * (reference[p][v] - mean);
        count++;
      }
      spread += Math.sqrt(variance / reference[p].length);
      if (argmax(actual[p]) == argmax(reference[p])) {
        agree++;
      }
    }
    double std = spread / tokens.length;
    System.out.printf(
        Locale.ROOT,
        "%-13s max |error| %.4f (%.3f std), mean |error| %.5f (%.4f std), greedy agreement"
            + " %d/%d (%.1f%%)%n",
        name,
        worst,
        worst / std,
        sum / count,
        sum / count / std,
        agree,
        tokens.length,
        100.0 * agree / tokens.length);
  }

  private static float[][] logits(DecoderWeights weights, int[] tokens) {
    try (JavaDecoderRuntime runtime = new JavaDecoderRuntime(weights, 2);
        GptSequence sequence = runtime.newSequence(tokens.length)) {
      float[][] all = new float[tokens.length][];
      for (int i = 0; i < tokens.length; i++) {
        all[i] = sequence.append(new int[] {tokens[i]});
      }
      return all;
    }
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
