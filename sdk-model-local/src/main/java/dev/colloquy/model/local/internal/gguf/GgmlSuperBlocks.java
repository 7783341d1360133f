package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import java.nio.ByteBuffer;

/**
 * ggml's "K" super-block layouts (256 values each, in sub-blocks of 16 or 32 with quantized
 * sub-block scales), dequantized exactly as ggml's reference code does: the same float operations
 * in the same order, so results are bit-identical to ggml built without fused multiply-add. Each
 * method reads one block in place, so a kernel can reuse it per block. Files of Q4_K_M and Q5_K_M
 * models hold Q4_K/Q5_K with Q6_K; Q2_K and Q3_K are the matrices of Q2_K and Q3_K_* files.
 */
final class GgmlSuperBlocks {

  private GgmlSuperBlocks() {}

  /**
   * Q2_K: 16 bytes of sub-block scales (low nibble: scale, high nibble: min, for 16 sub-blocks of
   * 16), 64 bytes of 2-bit quants, f16 d, f16 dmin. value = d * scale * q - dmin * min. 84 bytes.
   * Each half of 128 values uses 32 quant bytes: value l (l < 32) of quarter k takes bits 2k..2k+1
   * of byte l of its half, and the scale of sub-block 8 * half + 2k + l / 16.
   */
  static void dequantizeQ2_K(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = HalfFloats.toFloat(source.getShort(at + 80));
    float dmin = HalfFloats.toFloat(source.getShort(at + 82));
    int out = targetAt;
    for (int half = 0; half < 2; half++) {
      int quants = at + 16 + 32 * half;
      for (int quarter = 0; quarter < 4; quarter++) {
        int shift = 2 * quarter;
        for (int sixteen = 0; sixteen < 2; sixteen++) {
          int packed = source.get(at + 8 * half + 2 * quarter + sixteen) & 0xff;
          float scale = d * (packed & 0x0f);
          float min = dmin * (packed >>> 4);
          for (int l = 16 * sixteen; l < 16 * sixteen + 16; l++) {
            target[out++] = scale * (((source.get(quants + l) & 0xff) >>> shift) & 3) - min;
          }
        }
      }
    }
  }

  /**
   * Q3_K: 32 bytes of high bits (hmask), 64 bytes of 2-bit low quants, 12 bytes of 6-bit signed
   * scales for 16 sub-blocks of 16 (see {@link #q3Scale}), f16 d. A 3-bit q is its 2 low bits and a
   * high bit; value = d * (scale - 32) * (q - 4), where a set high bit adds 4 to q. 110 bytes.
   * Value l (l < 32) of quarter k of half h takes bits 2k..2k+1 of low byte 32h + l, bit 4h + k of
   * hmask[l], and the scale of sub-block 8h + 2k + l / 16.
   */
  static void dequantizeQ3_K(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = HalfFloats.toFloat(source.getShort(at + 108));
    int hmask = at;
    int scales = at + 96;
    int out = targetAt;
    for (int half = 0; half < 2; half++) {
      int quants = at + 32 + 32 * half;
      for (int quarter = 0; quarter < 4; quarter++) {
        int shift = 2 * quarter;
        int highBit = 1 << (4 * half + quarter);
        for (int sixteen = 0; sixteen < 2; sixteen++) {
          float scale = d * (q3Scale(source, scales, 8 * half + 2 * quarter + sixteen) - 32);
          for (int l = 16 * sixteen; l < 16 * sixteen + 16; l++) {
            int low = ((source.get(quants + l) & 0xff) >>> shift) & 3;
            int offset = (source.get(hmask + l) & highBit) != 0 ? 0 : 4;
            target[out++] = scale * (low - offset);
          }
        }
      }
    }
  }

  /**
   * The unsigned 6-bit scale of Q3_K sub-block j (0..15) from the 12 packed bytes s: the low 4 bits
   * are the low nibble of s[j] (j < 8) or the high nibble of s[j - 8]; the high 2 bits are bits 2 *
   * (j / 4) and up of s[8 + j % 4].
   */
  static int q3Scale(ByteBuffer source, int scales, int j) {
    int low = j < 8 ? source.get(scales + j) & 0x0f : (source.get(scales + j - 8) & 0xff) >>> 4;
    int high = ((source.get(scales + 8 + j % 4) & 0xff) >>> (2 * (j / 4))) & 3;
    return low | (high << 4);
  }

  /**
   * Q4_K: a super-block of 256 values in 8 sub-blocks of 32. Layout: f16 d, f16 dmin, 12 bytes of
   * 6-bit scales and mins for the 8 sub-blocks (see {@link #scaleOrMin}), 128 bytes of nibbles.
   * Each group of 32 bytes holds two sub-blocks: sub-block 2g in the low nibbles, 2g + 1 in the
   * high nibbles. value = d * scale * q - dmin * min. 144 bytes.
   */
  static void dequantizeQ4_K(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = HalfFloats.toFloat(source.getShort(at));
    float dmin = HalfFloats.toFloat(source.getShort(at + 2));
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
   * Q5_K: as Q4_K with a fifth bit: f16 d, f16 dmin, 12 bytes of 6-bit scales and mins (see {@link
   * #scaleOrMin}), 32 bytes of high bits (qh), 128 bytes of nibbles. Sub-block 2g takes the low
   * nibbles of bytes 32g..32g+31 and bit 2g of qh[l], sub-block 2g + 1 the high nibbles and bit 2g
   * + 1. value = d * scale * q - dmin * min, q in 0..31. 176 bytes.
   */
  static void dequantizeQ5_K(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = HalfFloats.toFloat(source.getShort(at));
    float dmin = HalfFloats.toFloat(source.getShort(at + 2));
    int scales = at + 4;
    int high = at + 16;
    int quants = at + 48;
    int out = targetAt;
    for (int group = 0; group < 4; group++) {
      int low = 2 * group;
      float d1 = d * scaleOrMin(source, scales, low, false);
      float m1 = dmin * scaleOrMin(source, scales, low, true);
      float d2 = d * scaleOrMin(source, scales, low + 1, false);
      float m2 = dmin * scaleOrMin(source, scales, low + 1, true);
      int bytes = quants + 32 * group;
      int bit1 = 1 << low;
      int bit2 = 2 << low;
      for (int l = 0; l < 32; l++) {
        int fifth = (source.get(high + l) & bit1) != 0 ? 16 : 0;
        target[out++] = d1 * ((source.get(bytes + l) & 0x0f) + fifth) - m1;
      }
      for (int l = 0; l < 32; l++) {
        int fifth = (source.get(high + l) & bit2) != 0 ? 16 : 0;
        target[out++] = d2 * (((source.get(bytes + l) & 0xff) >>> 4) + fifth) - m2;
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
    float d = HalfFloats.toFloat(source.getShort(at + 208));
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
}
