package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.decoder.RopeScaling;

/**
 * Llama 3.1's RoPE scaling as a GGUF file holds it: not as metadata but as the tensor {@code
 * rope_freqs.weight}, one divisor per frequency, computed by llama.cpp's converter from {@code
 * factor}, {@code low_freq_factor} and {@code high_freq_factor} and the original context of 8192
 * (the converter always uses that, reading the key from the wrong place). The parameters are
 * recovered by taking the factor as the largest divisor, assuming the converter's defaults for the
 * rest (1, 4, 8192: every Llama 3.1/3.2/3.3 release), and checking every divisor against them.
 */
final class Llama3RopeFactors {

  static final double LOW_FREQUENCY_FACTOR = 1.0;
  static final double HIGH_FREQUENCY_FACTOR = 4.0;
  static final int ORIGINAL_CONTEXT = 8192;

  private Llama3RopeFactors() {}

  /**
   * Returns the divisors the converter writes, one per rotary frequency (as {@code
   * LlamaModel.generate_extra_tensors}).
   */
  static float[] divisors(double theta, int headWidth, double factor) {
    float[] divisors = new float[headWidth / 2];
    double lowWavelength = ORIGINAL_CONTEXT / LOW_FREQUENCY_FACTOR;
    double highWavelength = ORIGINAL_CONTEXT / HIGH_FREQUENCY_FACTOR;
    for (int i = 0; i < divisors.length; i++) {
      double frequency = 1.0 / Math.pow(theta, 2.0 * i / headWidth);
      double wavelength = 2 * Math.PI / frequency;
      if (wavelength < highWavelength) {
        divisors[i] = 1f;
      } else if (wavelength > lowWavelength) {
        divisors[i] = (float) factor;
      } else {
        double smooth =
            (ORIGINAL_CONTEXT / wavelength - LOW_FREQUENCY_FACTOR)
                / (HIGH_FREQUENCY_FACTOR - LOW_FREQUENCY_FACTOR);
        divisors[i] = (float) (1 / ((1 - smooth) / factor + smooth));
      }
    }
    return divisors;
  }

  static RopeScaling recover(GgufFile gguf, GgufTensorInfo tensor, double theta, int headWidth) {
    if (tensor.elementCount() != headWidth / 2) {
      throw GgufDecoderConfig.fail(
          gguf,
          "has tensor 'rope_freqs.weight' of shape "
              + tensor.shapeText()
              + ", expected ["
              + headWidth / 2
              + "] (one factor per rotary frequency)");
    }
    float[] found = gguf.readFloats(tensor);
    float factor = 1f;
    for (float value : found) {
      factor = Math.max(factor, value);
    }
    if (factor == 1f) {
      return RopeScaling.NONE;
    }
    float[] expected = divisors(theta, headWidth, factor);
    for (int i = 0; i < found.length; i++) {
      if (!(Math.abs(found[i] - expected[i]) <= 1e-4f * expected[i])) {
        throw new ModelLoadException(
            "GGUF file "
                + gguf.file()
                + " has tensor 'rope_freqs.weight' whose factor "
                + i
                + " is "
                + found[i]
                + ", not the "
                + expected[i]
                + " of Llama 3 RoPE scaling with factor "
                + factor
                + ", low_freq_factor 1, high_freq_factor 4 and original context 8192: custom"
                + " RoPE frequency factors are not supported");
      }
    }
    return new RopeScaling(
        RopeScaling.Type.LLAMA3,
        factor,
        ORIGINAL_CONTEXT,
        LOW_FREQUENCY_FACTOR,
        HIGH_FREQUENCY_FACTOR,
        0,
        0,
        1,
        true);
  }
}
