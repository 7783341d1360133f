package dev.colloquy.model.local.internal.checkpoint;

/** IEEE 754 half precision to single precision (Java 17 has no Float.float16ToFloat). */
final class HalfFloats {

  private HalfFloats() {}

  /** Widens the half-precision bits to a float, exactly (subnormals, infinities and NaN kept). */
  static float toFloat(short bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
