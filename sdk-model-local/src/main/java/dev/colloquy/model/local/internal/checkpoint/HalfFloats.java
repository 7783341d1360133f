package dev.colloquy.model.local.internal.checkpoint;

/**
 * IEEE 754 half precision to and from single precision, as ggml converts them (Java 17 has no
 * {@code Float.float16ToFloat}). Narrowing rounds to nearest, ties to even.
 */
public final class HalfFloats {

  private HalfFloats() {}

  /** Widens the half-precision bits to a float, exactly (subnormals, infinities and NaN kept). */
  public static float toFloat(short bits) {
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

  /** Narrows a float to half precision, rounding to nearest even; too large becomes infinity. */
  public static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    float magnitude = Math.abs(value);
    if (Float.isNaN(value)) {
      return (short) (sign | 0x7e00);
    }
    if (magnitude < 0x1p-14f) {
      // Subnormal (or zero): the value in units of 2^-24, rounded half to even; exact in double.
      return (short) (sign | (int) Math.rint(magnitude * 0x1p24));
    }
    int exponent = ((bits >>> 23) & 0xff) - 112;
    if (exponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    int mantissa = bits & 0x7fffff;
    int half = (exponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // a carry into the exponent is the right answer, up to infinity
    }
    return (short) (sign | Math.min(half, 0x7c00));
  }
}
