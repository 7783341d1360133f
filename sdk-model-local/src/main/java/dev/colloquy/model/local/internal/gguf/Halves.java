package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;

/**
 * bfloat16 to and from single precision, as ggml converts them; IEEE half precision is {@link
 * HalfFloats}. Narrowing rounds to nearest, ties to even.
 */
final class Halves {

  private Halves() {}

  /** Widens bfloat16 bits to a float, exactly. */
  static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** Narrows a float to bfloat16, rounding to nearest even; NaN stays a quiet NaN. */
  static short floatToBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
  }
}
