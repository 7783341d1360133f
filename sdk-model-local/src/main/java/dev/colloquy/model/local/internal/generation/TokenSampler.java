package dev.colloquy.model.local.internal.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks next tokens from logits: repetition penalty, then greedy or temperature, top-k and top-p
 * sampling. All randomness comes from the seed in {@link SamplingSettings}. Not thread-safe: one
 * per generation.
 */
public final class TokenSampler {

  private final SamplingSettings settings;
  private final SplittableRandom random;
  private final boolean[]
      seen; // [vocab]: tokens already in the context, for the repetition penalty
  private final int tokenizerSize;

  /**
   * @param settings how to sample
   * @param vocabularySize the number of logits
   */
  public TokenSampler(SamplingSettings settings, int vocabularySize) {
    this(settings, vocabularySize, vocabularySize);
  }

  /**
   * @param settings how to sample
   * @param vocabularySize the number of logits
   * @param tokenizerSize ids the tokenizer can decode; the ids above it pad the embedding (to a
   *     multiple of 64 or 128, say) and are never chosen
   */
  public TokenSampler(SamplingSettings settings, int vocabularySize, int tokenizerSize) {
    if (tokenizerSize < 1 || tokenizerSize > vocabularySize) {
      throw new IllegalArgumentException(
          "tokenizerSize must be 1.." + vocabularySize + ", was " + tokenizerSize);
    }
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
    this.seen = new boolean[vocabularySize];
    this.tokenizerSize = tokenizerSize;
  }

  /** Records a token as part of the context (prompt or generated). */
  public void observe(int token) {
    seen[token] = true;
  }

  /** Chooses the next token; {@code logits} are changed in place. */
  public int next(float[] logits) {
    if (tokenizerSize < logits.length) {
      Arrays.fill(logits, tokenizerSize, logits.length, Float.NEGATIVE_INFINITY);
    }
    if (settings.repetitionPenalty() != 1) {
      float penalty = (float) settings.repetitionPenalty();
      for (int v = 0; v < logits.length; v++) {
        if (seen[v]) {
          logits[v] = logits[v] > 0 ? logits[v] / penalty : logits[v] * penalty;
        }
      }
    }
    if (settings.greedy()) {
      return argMax(logits);
    }
    Integer[] order = candidates(logits);
    int keep = settings.topK() > 0 ? Math.min(settings.topK(), order.length) : order.length;
    double max = logits[order[0]];
    double[] probabilities = new double[keep];
    double total = 0;
    for (int i = 0; i < keep; i++) {
      probabilities[i] = Math.exp((logits[order[i]] - max) / settings.temperature());
      total += probabilities[i];
    }
    double cumulative = 0;
    int nucleus = keep;
    for (int i = 0; i < keep; i++) {
      cumulative += probabilities[i] / total;
      if (cumulative >= settings.topP()) {
        nucleus = i + 1;
        break;
      }
    }
    double nucleusTotal = 0;
    for (int i = 0; i < nucleus; i++) {
      nucleusTotal += probabilities[i];
    }
    double draw = random.nextDouble() * nucleusTotal;
    for (int i = 0; i < nucleus; i++) {
      draw -= probabilities[i];
      if (draw < 0) {
        return order[i];
      }
    }
    return order[nucleus - 1];
  }

  private Integer[] candidates(float[] logits) {
    Integer[] order = new Integer[logits.length];
    for (int v = 0; v < logits.length; v++) {
      order[v] = v;
    }
    // Ties break toward the lower id so that sampling is reproducible across JVMs.
    Arrays.sort(
        order,
        (a, b) ->
            logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
    return order;
  }

  static int argMax(float[] logits) {
    int best = 0;
    for (int v = 1; v < logits.length; v++) {
      if (logits[v] > logits[best]) {
        best = v;
      }
    }
    return best;
  }
}
