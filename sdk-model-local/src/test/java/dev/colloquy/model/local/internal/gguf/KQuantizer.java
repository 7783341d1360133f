package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Round-to-nearest quantizers for ggml's Q4_K and Q6_K blocks, for test checkpoints and benchmarks:
 * each sub-block's scale (and Q4_K's min) from its range, the super-block's f16 d from the largest
 * of those, then every q rounded with the scales as the file stores them. Not ggml's quantizer (it
 * searches for better scales), but its blocks are valid and close to the values.
 */
public final class KQuantizer {

  private KQuantizer() {}

  /**
   * Returns the blocks of {@code values} in {@code type} (Q4_K or Q6_K).
   *
   * @throws IllegalArgumentException for another type or values that are not whole super-blocks
   */
  public static byte[] quantize(GgmlType type, float[] values) {
    if (values.length % 256 != 0 || (type != GgmlType.Q4_K && type != GgmlType.Q6_K)) {
      throw new IllegalArgumentException(values.length + " values cannot be " + type);
    }
    int blocks = values.length / 256;
    ByteBuffer bytes =
        ByteBuffer.allocate(blocks * type.blockBytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (int b = 0; b < blocks; b++) {
      if (type == GgmlType.Q4_K) {
        q4K(values, 256 * b, bytes, b * type.blockBytes());
      } else {
        q6K(values, 256 * b, bytes, b * type.blockBytes());
      }
    }
    return bytes.array();
  }

  private static void q4K(float[] values, int from, ByteBuffer out, int at) {
    float[] scales = new float[8];
    float[] mins = new float[8];
    for (int j = 0; j < 8; j++) {
      float lo = 0f;
      float hi = 0f;
      for (int i = 0; i < 32; i++) {
        lo = Math.min(lo, values[from + 32 * j + i]);
        hi = Math.max(hi, values[from + 32 * j + i]);
      }
      scales[j] = (hi - lo) / 15;
      mins[j] = -lo;
    }
    short d = HalfFloats.fromFloat(max(scales) / 63);
    short dmin = HalfFloats.fromFloat(max(mins) / 63);
    float dValue = HalfFloats.toFloat(d);
    float dminValue = HalfFloats.toFloat(dmin);
    int[] sc = new int[8];
    int[] m = new int[8];
    for (int j = 0; j < 8; j++) {
      sc[j] = dValue > 0 ? clamp(Math.round(scales[j] / dValue), 0, 63) : 0;
      m[j] = dminValue > 0 ? clamp(Math.round(mins[j] / dminValue), 0, 63) : 0;
    }
    out.putShort(at, d);
    out.putShort(at + 2, dmin);
    for (int j = 0; j < 4; j++) {
      out.put(at + 4 + j, (byte) (sc[j] | ((sc[j + 4] >> 4) << 6)));
      out.put(at + 8 + j, (byte) (m[j] | ((m[j + 4] >> 4) << 6)));
      out.put(at + 12 + j, (byte) ((sc[j + 4] & 0x0f) | ((m[j + 4] & 0x0f) << 4)));
    }
    for (int j = 0; j < 8; j++) {
      float scale = dValue * sc[j];
      float min = dminValue * m[j];
      for (int i = 0; i < 32; i++) {
        int q = scale > 0 ? clamp(Math.round((values[from + 32 * j + i] + min) / scale), 0, 15) : 0;
        int index = at + 16 + 32 * (j / 2) + i;
        out.put(index, (byte) (out.get(index) | (j % 2 == 0 ? q : q << 4)));
      }
    }
  }

  private static void q6K(float[] values, int from, ByteBuffer out, int at) {
    float[] scales = new float[16];
    for (int j = 0; j < 16; j++) {
      for (int i = 0; i < 16; i++) {
        scales[j] = Math.max(scales[j], Math.abs(values[from + 16 * j + i]) / 31);
      }
    }
    short d = HalfFloats.fromFloat(max(scales) / 127);
    float dValue = HalfFloats.toFloat(d);
    out.putShort(at + 208, d);
    for (int j = 0; j < 16; j++) {
      int sc = dValue > 0 ? clamp(Math.round(scales[j] / dValue), -128, 127) : 0;
      out.put(at + 192 + j, (byte) sc);
      float scale = dValue * sc;
      for (int i = 0; i < 16; i++) {
        int v = 16 * j + i;
        int q = scale != 0 ? clamp(Math.round(values[from + v] / scale), -32, 31) + 32 : 32;
        int half = v / 128;
        int quarter = (v % 128) / 32;
        int l = v % 32;
        int low = at + 64 * half + l + 32 * (quarter % 2);
        out.put(low, (byte) (out.get(low) | (quarter < 2 ? q & 0x0f : (q & 0x0f) << 4)));
        int high = at + 128 + 32 * half + l;
        out.put(high, (byte) (out.get(high) | ((q >> 4) << (2 * quarter))));
      }
    }
  }

  private static float max(float[] values) {
    float max = 0f;
    for (float value : values) {
      max = Math.max(max, value);
    }
    return max;
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
