package dev.colloquy.model.local.internal.decoder;

import java.util.List;

/**
 * The {@code rope_scaling} of a Hugging Face config, as transformers' {@code modeling_rope_utils}
 * reads it. Fields a type does not use are 0.
 *
 * @param type which scaling
 * @param factor the context extension factor ({@code factor}), 1 for {@link Type#NONE}
 * @param originalContextLength {@code original_max_position_embeddings} (llama3, yarn, longrope),
 *     else 0
 * @param lowFrequencyFactor llama3's {@code low_freq_factor}
 * @param highFrequencyFactor llama3's {@code high_freq_factor}
 * @param betaFast yarn's {@code beta_fast} (default 32)
 * @param betaSlow yarn's {@code beta_slow} (default 1)
 * @param attentionFactor the cos/sin multiplier of yarn and longrope ({@code attention_factor}, or
 *     derived as transformers does); 1 for the other types
 * @param truncate yarn's {@code truncate} (default true): round the correction range outwards
 * @param shortFactor longrope's {@code short_factor}: one divisor per rotary dimension pair, used
 *     by sequences within the original context; empty for the other types
 * @param longFactor longrope's {@code long_factor}: the divisors for sequences longer than the
 *     original context; empty for the other types
 */
public record RopeScaling(
    Type type,
    double factor,
    int originalContextLength,
    double lowFrequencyFactor,
    double highFrequencyFactor,
    double betaFast,
    double betaSlow,
    double attentionFactor,
    boolean truncate,
    List<Float> shortFactor,
    List<Float> longFactor) {

  /** The scaling types of transformers' {@code ROPE_INIT_FUNCTIONS} that this runtime computes. */
  public enum Type {
    /** Plain RoPE ({@code rope_scaling} null or {@code "default"}). */
    NONE,
    /** Positions divided by the factor ({@code "linear"}). */
    LINEAR,
    /**
     * Dynamic NTK ({@code "dynamic"}): the base grows once a sequence passes the original context;
     * within {@code max_position_embeddings} it equals plain RoPE.
     */
    DYNAMIC,
    /** YaRN ({@code "yarn"}): per-frequency blend of interpolation and extrapolation. */
    YARN,
    /** Llama 3.1's ({@code "llama3"}): low frequencies divided by the factor, smooth between. */
    LLAMA3,
    /**
     * Phi-3's LongRoPE ({@code "longrope"}, formerly {@code "su"}): each frequency divided by its
     * own factor, from the short list within the original context and the long list beyond it.
     */
    LONGROPE
  }

  /** No scaling. */
  public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 0, 0, 0, 0, 0, 1, true);

  /** A scaling without per-dimension factors (every type but longrope). */
  public RopeScaling(
      Type type,
      double factor,
      int originalContextLength,
      double lowFrequencyFactor,
      double highFrequencyFactor,
      double betaFast,
      double betaSlow,
      double attentionFactor,
      boolean truncate) {
    this(
        type,
        factor,
        originalContextLength,
        lowFrequencyFactor,
        highFrequencyFactor,
        betaFast,
        betaSlow,
        attentionFactor,
        truncate,
        List.of(),
        List.of());
  }

  /** Validates the numbers a type uses. */
  public RopeScaling {
    if (type == null || shortFactor == null || longFactor == null) {
      throw new IllegalArgumentException("type, short_factor and long_factor are required");
    }
    shortFactor = List.copyOf(shortFactor);
    longFactor = List.copyOf(longFactor);
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException(
          "rope_scaling factor must be a positive finite number, was " + factor);
    }
    if (!(attentionFactor > 0) || Double.isInfinite(attentionFactor)) {
      throw new IllegalArgumentException(
          "rope_scaling attention_factor must be a positive finite number, was " + attentionFactor);
    }
    if (type == Type.LLAMA3) {
      if (originalContextLength < 1) {
        throw new IllegalArgumentException(
            "llama3 rope_scaling needs original_max_position_embeddings of at least 1, was "
                + originalContextLength);
      }
      if (!(lowFrequencyFactor > 0) || !(highFrequencyFactor > lowFrequencyFactor)) {
        throw new IllegalArgumentException(
            "llama3 rope_scaling needs 0 < low_freq_factor < high_freq_factor, was "
                + lowFrequencyFactor
                + " and "
                + highFrequencyFactor);
      }
    }
    if (type == Type.YARN) {
      if (originalContextLength < 1) {
        throw new IllegalArgumentException(
            "yarn rope_scaling needs an original context of at least 1, was "
                + originalContextLength);
      }
      if (!(betaFast > 0) || !(betaSlow > 0)) {
        throw new IllegalArgumentException(
            "yarn rope_scaling needs positive beta_fast and beta_slow, was "
                + betaFast
                + " and "
                + betaSlow);
      }
    }
    if (type == Type.LONGROPE) {
      if (originalContextLength < 1) {
        throw new IllegalArgumentException(
            "longrope rope_scaling needs original_max_position_embeddings of at least 1, was "
                + originalContextLength);
      }
      factors("short_factor", shortFactor);
      factors("long_factor", longFactor);
      if (shortFactor.size() != longFactor.size()) {
        throw new IllegalArgumentException(
            "longrope short_factor has "
                + shortFactor.size()
                + " numbers but long_factor has "
                + longFactor.size());
      }
    } else if (!shortFactor.isEmpty() || !longFactor.isEmpty()) {
      throw new IllegalArgumentException(
          "short_factor and long_factor belong to longrope, not to " + type);
    }
  }

  private static void factors(String field, List<Float> factors) {
    if (factors.isEmpty()) {
      throw new IllegalArgumentException("longrope rope_scaling needs a non-empty " + field);
    }
    for (int i = 0; i < factors.size(); i++) {
      float value = factors.get(i);
      if (!(value > 0) || Float.isInfinite(value)) {
        throw new IllegalArgumentException(
            "longrope " + field + "[" + i + "] must be a positive finite number, was " + value);
      }
    }
  }
}
