package dev.colloquy.model.local.internal.generation;

import dev.colloquy.core.model.TokenLogprob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Records the log-probability of each generated token and the most likely alternatives at its
 * position, as the OpenAI API reports them: the log-softmax of the model's raw logits, before the
 * sampler's temperature, top-k, top-p and repetition penalty change them, over the ids the
 * tokenizer can decode (padding rows of the embedding excluded). Computed in double precision;
 * alternatives are ordered by logit, ties toward the lower id, as the sampler breaks them.
 *
 * <p>Use: {@link #observe} with the logits of a position before the sampler sees them (it changes
 * them in place), then {@link #chosen} with the sampled token. Made only when a request asks for
 * logprobs, so generation without them pays nothing. Not thread-safe: one per generation.
 */
public final class LogprobRecorder {

  private final int topLogprobs;
  private final int tokenizerSize;
  private final IntFunction<byte[]> bytesOf;
  private final float[] raw; // [tokenizerSize]: the current position's logits, as the model gave
  private final int[] top; // [topLogprobs]: ids of the best logits, best first
  private double logNormalizer; // log(sum(exp(raw))), so that logprob(v) = raw[v] - logNormalizer
  private final List<TokenLogprob> entries = new ArrayList<>();
  private final List<Integer> textStarts = new ArrayList<>();

  /**
   * @param topLogprobs how many alternatives to record per position, 0 to 20
   * @param tokenizerSize the ids the tokenizer can decode; logits above them are ignored
   * @param bytesOf a token's bytes by id
   */
  public LogprobRecorder(int topLogprobs, int tokenizerSize, IntFunction<byte[]> bytesOf) {
    if (topLogprobs < 0 || topLogprobs > TokenLogprob.MAX_TOP_LOGPROBS) {
      throw new IllegalArgumentException("topLogprobs must be 0..20, was " + topLogprobs);
    }
    this.topLogprobs = Math.min(topLogprobs, tokenizerSize);
    this.tokenizerSize = tokenizerSize;
    this.bytesOf = bytesOf;
    this.raw = new float[tokenizerSize];
    this.top = new int[this.topLogprobs];
  }

  /** Takes the raw logits of the next position, before sampling changes them. */
  public void observe(float[] logits) {
    System.arraycopy(logits, 0, raw, 0, tokenizerSize);
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < tokenizerSize; v++) {
      max = Math.max(max, raw[v]);
    }
    double sum = 0;
    for (int v = 0; v < tokenizerSize; v++) {
      sum += Math.exp(raw[v] - max);
    }
    logNormalizer = max + Math.log(sum);
    selectTop();
  }

  /**
   * Records the token chosen at the observed position.
   *
   * @param token the chosen id
   * @param textStart where the token's text starts in the reply's text so far, for {@link #trim}
   */
  public void chosen(int token, int textStart) {
    List<TokenLogprob.Alternative> alternatives = new ArrayList<>(topLogprobs);
    for (int id : top) {
      byte[] bytes = bytesOf.apply(id);
      alternatives.add(new TokenLogprob.Alternative(text(bytes), logprob(id), bytes));
    }
    byte[] bytes = bytesOf.apply(token);
    entries.add(new TokenLogprob(text(bytes), logprob(token), bytes, alternatives));
    textStarts.add(textStart);
  }

  /**
   * Drops the tokens whose text starts at or after {@code textEnd}: those that lie wholly in the
   * stop sequence that ended the reply.
   */
  public void trim(int textEnd) {
    while (!textStarts.isEmpty() && textStarts.get(textStarts.size() - 1) >= textEnd) {
      textStarts.remove(textStarts.size() - 1);
      entries.remove(entries.size() - 1);
    }
  }

  /** Returns the recorded tokens, in order. */
  public List<TokenLogprob> entries() {
    return List.copyOf(entries);
  }

  private double logprob(int id) {
    // logNormalizer >= max >= raw[id], so this is at most 0; min() guards the rounding anyway.
    return Math.min(0.0, raw[id] - logNormalizer);
  }

  /** Fills {@link #top} with the ids of the largest logits, by insertion into a sorted array. */
  private void selectTop() {
    int size = 0;
    for (int v = 0; v < tokenizerSize && top.length > 0; v++) {
      float logit = raw[v];
      // Ids come in ascending order, so an equal logit already held keeps its place (lower id).
      if (size == top.length && !(logit > raw[top[size - 1]])) {
        continue;
      }
      int at = size == top.length ? size - 1 : size++;
      while (at > 0 && logit > raw[top[at - 1]]) {
        top[at] = top[at - 1];
        at--;
      }
      top[at] = v;
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
