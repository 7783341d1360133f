package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import java.nio.ByteBuffer;

/**
 * ggml's quantized layouts of 32-value blocks (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0), dequantized exactly
 * as ggml's reference code does (same operations in the same order, so results are bit-identical to
 * ggml built without fused multiply-add), and their round-to-nearest reference quantizers. Models
 * whose widths are not a multiple of 256 (Qwen2.5-0.5B: 896) get these types in their Q4_K_M files
 * where a K type does not fit. Every method works on one block so that a kernel can later compute
 * on blocks in place. The 256-value K types are in {@link GgmlSuperBlocks}.
 */
final class GgmlBlocks {

  private GgmlBlocks() {}

  /** Q8_0: f16 scale d, then 32 signed bytes q; value = q * d. 34 bytes. */
  static void dequantizeQ8_0(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = HalfFloats.toFloat(source.getShort(at));
    for (int i = 0; i < 32; i++) {
      target[targetAt + i] = source.get(at + 2 + i) * d;
    }
  }

  /**
   * Q4_0: f16 scale d, then 16 bytes; byte j holds value j in its low nibble and value j + 16 in
   * its high nibble, each an unsigned 4-bit q; value = (q - 8) * d. 18 bytes.
   */
  static void dequantizeQ4_0(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = HalfFloats.toFloat(source.getShort(at));
    for (int j = 0; j < 16; j++) {
      int packed = source.get(at + 2 + j) & 0xff;
      target[targetAt + j] = ((packed & 0x0f) - 8) * d;
      target[targetAt + j + 16] = ((packed >>> 4) - 8) * d;
    }
  }

  /**
   * Q4_1: f16 scale d, f16 minimum m, then 16 bytes of nibbles as in Q4_0; value = q * d + m. 20
   * bytes.
   */
  static void dequantizeQ4_1(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = HalfFloats.toFloat(source.getShort(at));
    float m = HalfFloats.toFloat(source.getShort(at + 2));
    for (int j = 0; j < 16; j++) {
      int packed = source.get(at + 4 + j) & 0xff;
      target[targetAt + j] = (packed & 0x0f) * d + m;
      target[targetAt + j + 16] = (packed >>> 4) * d + m;
    }
  }

  /**
   * Q5_0: f16 scale d, a little-endian 32-bit word qh whose bit i is the fifth bit of value i, then
   * 16 bytes of low nibbles as in Q4_0; value = (q - 16) * d. 22 bytes.
   */
  static void dequantizeQ5_0(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = HalfFloats.toFloat(source.getShort(at));
    int high = source.getInt(at + 2);
    for (int j = 0; j < 16; j++) {
      int packed = source.get(at + 6 + j) & 0xff;
      int q0 = (packed & 0x0f) | fifthBit(high, j);
      int q1 = (packed >>> 4) | fifthBit(high, j + 16);
      target[targetAt + j] = (q0 - 16) * d;
      target[targetAt + j + 16] = (q1 - 16) * d;
    }
  }

  /**
   * Q5_1: f16 scale d, f16 minimum m, the fifth bits qh and the low nibbles as in Q5_0; value = q *
   * d + m. 24 bytes.
   */
  static void dequantizeQ5_1(ByteBuffer source, int at, float[] target, int targetAt) {
    float d = HalfFloats.toFloat(source.getShort(at));
    float m = HalfFloats.toFloat(source.getShort(at + 2));
    int high = source.getInt(at + 4);
    for (int j = 0; j < 16; j++) {
      int packed = source.get(at + 8 + j) & 0xff;
      int q0 = (packed & 0x0f) | fifthBit(high, j);
      int q1 = (packed >>> 4) | fifthBit(high, j + 16);
      target[targetAt + j] = q0 * d + m;
      target[targetAt + j + 16] = q1 * d + m;
    }
  }

  /** Bit i of qh, as 16 or 0. */
  private static int fifthBit(int high, int i) {
    return ((high >>> i) & 1) << 4;
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
    target.putShort(at, HalfFloats.fromFloat(d));
    for (int i = 0; i < 32; i++) {
      target.put(at + 2 + i, (byte) roundHalfAwayFromZero(values[from + i] * inverse));
    }
  }

  /**
   * Quantizes 32 values to one Q4_0 block as ggml's reference quantizer does: d = (the value of
   * largest magnitude, with its sign) / -8, q = min(15, trunc(x / d + 8.5)).
   */
  static void quantizeQ4_0(float[] values, int from, ByteBuffer target, int at) {
    float d = signedExtreme(values, from) / -8f;
    float inverse = d != 0f ? 1f / d : 0f;
    target.putShort(at, HalfFloats.fromFloat(d));
    for (int j = 0; j < 16; j++) {
      int low = Math.min(15, truncateToByte(values[from + j] * inverse + 8.5f));
      int high = Math.min(15, truncateToByte(values[from + j + 16] * inverse + 8.5f));
      target.put(at + 2 + j, (byte) (low | (high << 4)));
    }
  }

  /**
   * Quantizes 32 values to one Q4_1 block as ggml's reference quantizer does: m = min x, d = (max x
   * - m) / 15, q = min(15, trunc((x - m) / d + 0.5)), computed with the unrounded m and d.
   */
  static void quantizeQ4_1(float[] values, int from, ByteBuffer target, int at) {
    float min = minimum(values, from);
    float d = (maximum(values, from) - min) / 15f;
    float inverse = d != 0f ? 1f / d : 0f;
    target.putShort(at, HalfFloats.fromFloat(d));
    target.putShort(at + 2, HalfFloats.fromFloat(min));
    for (int j = 0; j < 16; j++) {
      int low = Math.min(15, truncateToByte((values[from + j] - min) * inverse + 0.5f));
      int high = Math.min(15, truncateToByte((values[from + j + 16] - min) * inverse + 0.5f));
      target.put(at + 4 + j, (byte) (low | (high << 4)));
    }
  }

  /**
   * Quantizes 32 values to one Q5_0 block as ggml's reference quantizer does: d = (the value of
   * largest magnitude, with its sign) / -16, q = min(31, trunc(x / d + 16.5)).
   */
  static void quantizeQ5_0(float[] values, int from, ByteBuffer target, int at) {
    float d = signedExtreme(values, from) / -16f;
    float inverse = d != 0f ? 1f / d : 0f;
    target.putShort(at, HalfFloats.fromFloat(d));
    int[] quants = new int[32];
    for (int i = 0; i < 32; i++) {
      quants[i] = Math.min(31, truncateToByte(values[from + i] * inverse + 16.5f));
    }
    putFiveBits(quants, target, at + 2);
  }

  /**
   * Quantizes 32 values to one Q5_1 block as ggml's reference quantizer does: m = min x, d = (max x
   * - m) / 31, q = trunc((x - m) / d + 0.5) (ggml does not clamp here: q cannot pass 31).
   */
  static void quantizeQ5_1(float[] values, int from, ByteBuffer target, int at) {
    float min = minimum(values, from);
    float d = (maximum(values, from) - min) / 31f;
    float inverse = d != 0f ? 1f / d : 0f;
    target.putShort(at, HalfFloats.fromFloat(d));
    target.putShort(at + 2, HalfFloats.fromFloat(min));
    int[] quants = new int[32];
    for (int i = 0; i < 32; i++) {
      quants[i] = truncateToByte((values[from + i] - min) * inverse + 0.5f);
    }
    putFiveBits(quants, target, at + 4);
  }

  /** Writes 32 five-bit quants as Q5_0/Q5_1 store them: the word of fifth bits, then nibbles. */
  private static void putFiveBits(int[] quants, ByteBuffer target, int at) {
    int high = 0;
    for (int i = 0; i < 32; i++) {
      high |= ((quants[i] >>> 4) & 1) << i;
    }
    target.putInt(at, high);
    for (int j = 0; j < 16; j++) {
      target.put(at + 4 + j, (byte) ((quants[j] & 0x0f) | ((quants[j + 16] & 0x0f) << 4)));
    }
  }

  /** The value of largest magnitude, with its sign; the first of equal magnitudes, as ggml. */
  private static float signedExtreme(float[] values, int from) {
    float absMax = 0f;
    float extreme = 0f;
    for (int i = 0; i < 32; i++) {
      float value = values[from + i];
      if (absMax < Math.abs(value)) {
        absMax = Math.abs(value);
        extreme = value;
      }
    }
    return extreme;
  }

  private static float minimum(float[] values, int from) {
    float min = Float.MAX_VALUE;
    for (int i = 0; i < 32; i++) {
      if (values[from + i] < min) {
        min = values[from + i];
      }
    }
    return min;
  }

  private static float maximum(float[] values, int from) {
    float max = -Float.MAX_VALUE;
    for (int i = 0; i < 32; i++) {
      if (values[from + i] > max) {
        max = values[from + i];
      }
    }
    return max;
  }

  /** C's roundf. */
  private static int roundHalfAwayFromZero(float value) {
    double magnitude = Math.floor(Math.abs((double) value) + 0.5);
    return (int) Math.copySign(magnitude, value);
  }

  /** C's (int8_t) or (uint8_t) conversion of a float in [0, 33): truncation toward zero. */
  private static int truncateToByte(float value) {
    return (int) value;
  }
}
