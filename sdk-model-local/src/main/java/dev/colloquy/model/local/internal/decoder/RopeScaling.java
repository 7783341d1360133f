package dev.colloquy.model.local.internal.decoder;

/**
 * The {@code rope_scaling} of a Hugging Face config, as transformers' {@code modeling_rope_utils}
 * reads it. Fields a type does not use are 0.
 *
 * @param type which scaling
 * @param factor the context extension factor ({@code factor}), 1 for {@link Type#NONE}
 * @param originalContextLength {@code original_max_position_embeddings} (llama3, yarn), else 0
 * @param lowFrequencyFactor llama3's {@code low_freq_factor}
 * @param highFrequencyFactor llama3's {@code high_freq_factor}
 * @param betaFast yarn's {@code beta_fast} (default 32)
 * @param betaSlow yarn's {@code beta_slow} (default 1)
 * @param attentionFactor yarn's cos/sin multiplier ({@code attention_factor}, or derived from
 *     {@code mscale}/{@code mscale_all_dim}/factor as transformers does); 1 for the other types
 * @param truncate yarn's {@code truncate} (default true): round the correction range outwards
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
    boolean truncate) {

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
    LLAMA3
  }

  /** No scaling. */
  public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 0, 0, 0, 0, 0, 1, true);

  /** Validates the numbers a type uses. */
  public RopeScaling {
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
  }
}
