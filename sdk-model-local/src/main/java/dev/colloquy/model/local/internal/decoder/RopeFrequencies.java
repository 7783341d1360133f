package dev.colloquy.model.local.internal.decoder;

import java.util.List;

/**
 * The rotary inverse frequencies of a configuration, computed as transformers' {@code
 * modeling_rope_utils} does (float32 arithmetic where it uses float32), for each scaling type.
 */
public final class RopeFrequencies {

  private RopeFrequencies() {}

  /**
   * Returns the inverse frequencies [rotaryWidth / 2] for a sequence of {@code sequenceLength}
   * positions. Only two types depend on it: dynamic NTK, beyond {@code max_position_embeddings};
   * and longrope, which takes its long factors for a sequence longer than the original context and
   * its short factors otherwise (transformers decides by the positions of the current forward call;
   * an engine with a KV cache passes the capacity it reserved, so that every position of a sequence
   * is rotated with the same frequencies).
   *
   * @param config the configuration
   * @param sequenceLength the positions in use, at least 1
   */
  public static float[] inverseFrequencies(DecoderConfig config, int sequenceLength) {
    RopeScaling scaling = config.ropeScaling();
    int dim = config.rotaryWidth();
    double base = config.ropeTheta();
    if (scaling.type() == RopeScaling.Type.DYNAMIC && sequenceLength > config.contextLength()) {
      // _compute_dynamic_ntk_parameters: the base grows with the sequence past the context.
      double factor = scaling.factor();
      base =
          base
              * Math.pow(
                  factor * sequenceLength / config.contextLength() - (factor - 1),
                  (double) dim / (dim - 2));
    }
    float[] plain = new float[dim / 2];
    for (int i = 0; i < plain.length; i++) {
      float exponent = (float) (2 * i) / dim;
      plain[i] = (float) (1.0 / Math.pow(base, exponent));
    }
    return switch (scaling.type()) {
      case NONE, DYNAMIC -> plain;
      case LINEAR -> divide(plain, scaling.factor());
      case LLAMA3 -> llama3(plain, scaling);
      case YARN -> yarn(scaling, dim, base);
      case LONGROPE ->
          longrope(
              sequenceLength > scaling.originalContextLength()
                  ? scaling.longFactor()
                  : scaling.shortFactor(),
              dim,
              base);
    };
  }

  /** Returns the multiplier of cos and sin (YaRN's attention factor; 1 for the other types). */
  public static float attentionFactor(DecoderConfig config) {
    return (float) config.ropeScaling().attentionFactor();
  }

  private static float[] divide(float[] frequencies, double factor) {
    float[] result = new float[frequencies.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = (float) (frequencies[i] / factor);
    }
    return result;
  }

  /** {@code _compute_llama3_parameters}: by wavelength, low frequencies scaled, a smooth band. */
  private static float[] llama3(float[] frequencies, RopeScaling scaling) {
    double factor = scaling.factor();
    double low = scaling.lowFrequencyFactor();
    double high = scaling.highFrequencyFactor();
    double original = scaling.originalContextLength();
    double lowWavelength = original / low;
    double highWavelength = original / high;
    float[] result = new float[frequencies.length];
    for (int i = 0; i < result.length; i++) {
      double frequency = frequencies[i];
      double wavelength = 2 * Math.PI / frequency;
      double scaled = wavelength > lowWavelength ? frequency / factor : frequency;
      if (wavelength >= highWavelength && wavelength <= lowWavelength) {
        double smooth = (original / wavelength - low) / (high - low);
        scaled = (1 - smooth) * scaled / factor + smooth * scaled;
      }
      result[i] = (float) scaled;
    }
    return result;
  }

  /** {@code _compute_longrope_parameters}: {@code 1 / (factor[i] * base^(2i / dim))} in float32. */
  private static float[] longrope(List<Float> factors, int dim, double base) {
    float[] result = new float[dim / 2];
    for (int i = 0; i < result.length; i++) {
      float power = (float) Math.pow(base, (float) (2 * i) / dim);
      result[i] = 1f / (factors.get(i) * power);
    }
    return result;
  }

  /** {@code _compute_yarn_parameters}: a linear ramp between interpolation and extrapolation. */
  private static float[] yarn(RopeScaling scaling, int dim, double base) {
    double original = scaling.originalContextLength();
    double low = correctionDimension(scaling.betaFast(), dim, base, original);
    double high = correctionDimension(scaling.betaSlow(), dim, base, original);
    if (scaling.truncate()) {
      low = Math.floor(low);
      high = Math.ceil(high);
    }
    low = Math.max(low, 0);
    high = Math.min(high, dim - 1);
    if (low == high) {
      high += 0.001; // transformers' guard against a zero-width ramp
    }
    float[] result = new float[dim / 2];
    for (int i = 0; i < result.length; i++) {
      float positionFrequency = (float) Math.pow(base, (float) (2 * i) / dim);
      float extrapolation = 1f / positionFrequency;
      float interpolation = (float) (1.0 / (scaling.factor() * positionFrequency));
      float ramp = (float) Math.min(1, Math.max(0, (i - low) / (high - low)));
      float extrapolationFactor = 1 - ramp;
      result[i] = interpolation * (1 - extrapolationFactor) + extrapolation * extrapolationFactor;
    }
    return result;
  }

  private static double correctionDimension(
      double rotations, int dim, double base, double originalContext) {
    return (dim * Math.log(originalContext / (rotations * 2 * Math.PI))) / (2 * Math.log(base));
  }
}
