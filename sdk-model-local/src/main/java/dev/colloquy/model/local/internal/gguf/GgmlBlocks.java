package dev.colloquy.model.local.internal.gguf;

import java.nio.ByteBuffer;

/**
 * ggml's quantized block layouts, dequantized exactly as ggml's reference code does (same
 * operations in the same order, so results are bit-identical), and the round-to-nearest quantizers
 * of Q8_0 and Q4_0. Every method works on one block so that a kernel can later compute on blocks in
 * place.
 */
final class GgmlBlocks {

  private GgmlBlocks() {}

  /** Q8_0: f16 scale d, then 32 signed bytes q; value = q * d. 34 bytes. */
  static void dequantizeQ8_0(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = Halves.halfToFloat(source.getShort(at));
    for (int i = 0; i < 32; i++) {
      target[targetAt + i] = source.get(at + 2 + i) * d;
    }
  }

  /**
   * Q4_0: f16 scale d, then 16 bytes; byte j holds value j in its low nibble and value j + 16 in
   * its high nibble, each an unsigned 4-bit q; value = (q - 8) * d. 18 bytes.
   */
  static void dequantizeQ4_0(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = Halves.halfToFloat(source.getShort(at));
    for (int j = 0; j < 16; j++) {
      int packed = source.get(at + 2 + j) & 0xff;
      target[targetAt + j] = ((packed & 0x0f) - 8) * d;
      target[targetAt + j + 16] = ((packed >>> 4) - 8) * d;
    }
  }

  /**
   * Q4_K: a super-block of 256 values in 8 sub-blocks of 32. Layout: f16 d, f16 dmin, 12 bytes of
   * 6-bit scales and mins for the 8 sub-blocks (see {@link #scaleOrMin}), 128 bytes of nibbles.
   * Each group of 32 bytes holds two sub-blocks: sub-block 2g in the low nibbles, 2g + 1 in the
   * high nibbles. value = d * scale * q - dmin * min. 144 bytes.
   */
  static void dequantizeQ4_K(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = Halves.halfToFloat(source.getShort(at));
    float dmin = Halves.halfToFloat(source.getShort(at + 2));
    int scales = at + 4;
    int quants = at + 16;
    int out = targetAt;
    for (int group = 0; group < 4; group++) {
      int low = 2 * group;
      float d1 = d * scaleOrMin(source, scales, low, false);
      float m1 = dmin * scaleOrMin(source, scales, low, true);
      float d2 = d * scaleOrMin(source, scales, low + 1, false);
      float m2 = dmin * scaleOrMin(source, scales, low + 1, true);
      int bytes = quants + 32 * group;
      for (int l = 0; l < 32; l++) {
        target[out++] = d1 * (source.get(bytes + l) & 0x0f) - m1;
      }
      for (int l = 0; l < 32; l++) {
        target[out++] = d2 * ((source.get(bytes + l) & 0xff) >>> 4) - m2;
      }
    }
  }

  /**
   * The 6-bit scale (or min) of Q4_K/Q5_K sub-block j from the 12 packed bytes s: for j < 4 the
   * scale is the low 6 bits of s[j] and the min the low 6 bits of s[j + 4]; for j >= 4 the low 4
   * bits come from s[j + 4] (low nibble: scale, high nibble: min) and the high 2 bits from the top
   * bits of s[j - 4] (scale) or s[j] (min).
   */
  static int scaleOrMin(ByteBuffer source, int scales, int j, boolean min) {
    if (j < 4) {
      return source.get(scales + j + (min ? 4 : 0)) & 63;
    }
    int shared = source.get(scales + j + 4) & 0xff;
    int high = (source.get(scales + j - (min ? 0 : 4)) & 0xff) >>> 6;
    return (min ? shared >>> 4 : shared & 0x0f) | (high << 4);
  }

  /**
   * Q6_K: a super-block of 256 values in 16 sub-blocks of 16, each value a 6-bit q stored as a low
   * nibble (ql, 128 bytes) and 2 high bits (qh, 64 bytes), then 16 signed 8-bit sub-block scales,
   * then f16 d. value = d * scale * (q - 32). 210 bytes. Each half of 128 values uses 64 ql bytes,
   * 32 qh bytes and 8 scales: value l (l < 32) of quarter k takes the low (k = 0, 1) or high (k =
   * 2, 3) nibble of ql[l + 32 * (k % 2)] and bits 2k..2k+1 of qh[l]; its scale is scales[l / 16 +
   * 2k].
   */
  static void dequantizeQ6_K(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = Halves.halfToFloat(source.getShort(at + 208));
    for (int half = 0; half < 2; half++) {
      int ql = at + 64 * half;
      int qh = at + 128 + 32 * half;
      int scales = at + 192 + 8 * half;
      int out = targetAt + 128 * half;
      for (int l = 0; l < 32; l++) {
        int sub = l / 16;
        int low0 = source.get(ql + l) & 0xff;
        int low1 = source.get(ql + l + 32) & 0xff;
        int high = source.get(qh + l) & 0xff;
        int q1 = ((low0 & 0x0f) | ((high & 3) << 4)) - 32;
        int q2 = ((low1 & 0x0f) | (((high >>> 2) & 3) << 4)) - 32;
        int q3 = ((low0 >>> 4) | (((high >>> 4) & 3) << 4)) - 32;
        int q4 = ((low1 >>> 4) | (((high >>> 6) & 3) << 4)) - 32;
        target[out + l] = d * source.get(scales + sub) * q1;
        target[out + l + 32] = d * source.get(scales + sub + 2) * q2;
        target[out + l + 64] = d * source.get(scales + sub + 4) * q3;
        target[out + l + 96] = d * source.get(scales + sub + 6) * q4;
      }
    }
  }

  /**
   * Quantizes 32 values to one Q8_0 block as ggml's reference quantizer does: d = max|x| / 127, q =
   * x / d rounded half away from zero.
   */
  static void quantizeQ8_0(float[] values, int from, ByteBuffer target, int at) {
    float absMax = 0f;
    for (int i = 0; i < 32; i++) {
      absMax = Math.max(absMax, Math.abs(values[from + i]));
    }
    float d = absMax / 127f;
    float inverse = d != 0f ? 1f / d : 0f;
    target.putShort(at, Halves.floatToHalf(d));
    for (int i = 0; i < 32; i++) {
      target.put(at + 2 + i, (byte) roundHalfAwayFromZero(values[from + i] * inverse));
    }
  }

  /**
   * Quantizes 32 values to one Q4_0 block as ggml's reference quantizer does: d = (the value of
   * largest magnitude, with its sign) / -8, q = min(15, trunc(x / d + 8.5)).
   */
  static void quantizeQ4_0(float[] values, int from, ByteBuffer target, int at) {
    float absMax = 0f;
    float extreme = 0f;
    for (int i = 0; i < 32; i++) {
      float value = values[from + i];
      if (absMax < Math.abs(value)) {
        absMax = Math.abs(value);
        extreme = value;
      }
    }
    float d = extreme / -8f;
    float inverse = d != 0f ? 1f / d : 0f;
    target.putShort(at, Halves.floatToHalf(d));
    for (int j = 0; j < 16; j++) {
      int low = Math.min(15, truncateToByte(values[from + j] * inverse + 8.5f));
      int high = Math.min(15, truncateToByte(values[from + j + 16] * inverse + 8.5f));
      target.put(at + 2 + j, (byte) (low | (high << 4)));
    }
  }

  /** C's roundf. */
  private static int roundHalfAwayFromZero(float value) {
    double magnitude = Math.floor(Math.abs((double) value) + 0.5);
    return (int) Math.copySign(magnitude, value);
  }

  /** C's (int8_t) conversion of a float in [0, 17): truncation toward zero. */
  private static int truncateToByte(float value) {
    return (int) value;
  }
}
