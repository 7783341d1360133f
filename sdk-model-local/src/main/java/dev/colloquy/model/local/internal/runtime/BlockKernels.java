package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;

/**
 * The plain-Java (Java 17) {@link BlockKernel}: four independent partial sums per block for
 * instruction-level parallelism (C2 does not vectorize float reductions), F16 widened through a
 * 65,536-entry table. The Java 21+ part of the jar adds a Vector API kernel (see {@link
 * MatrixKernels#bestBlock()}).
 */
final class BlockKernels {

  private BlockKernels() {}

  private static final float[] HALF_TO_FLOAT = halfTable();

  private static float[] halfTable() {
    float[] table = new float[1 << 16];
    for (int bits = 0; bits < table.length; bits++) {
      table[bits] = WeightTensor.halfToFloat((short) bits);
    }
    return table;
  }

  /** The plain-Java block kernel. */
  static final BlockKernel SCALAR =
      new BlockKernel() {
        @Override
        public float dotHalves(short[] w, int wAt, boolean brain, float[] x, int xAt, int n) {
          return brain ? dotBfloat16(w, wAt, x, xAt, n) : dotHalf(w, wAt, x, xAt, n);
        }

        @Override
        public float dotQ8(
            float[] scales, byte[] quants, int block, int blocks, float[] x, int xAt) {
          float sum = 0f;
          for (int b = 0; b < blocks; b++) {
            int q = (block + b) * 32;
            int xo = xAt + b * 32;
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            for (int j = 0; j < 32; j += 4) {
              s0 += quants[q + j] * x[xo + j];
              s1 += quants[q + j + 1] * x[xo + j + 1];
              s2 += quants[q + j + 2] * x[xo + j + 2];
              s3 += quants[q + j + 3] * x[xo + j + 3];
            }
            sum += ((s0 + s1) + (s2 + s3)) * scales[block + b];
          }
          return sum;
        }

        @Override
        public float dotQ4(
            float[] scales, byte[] nibbles, int block, int blocks, float[] x, int xAt) {
          float sum = 0f;
          for (int b = 0; b < blocks; b++) {
            int n = (block + b) * 16;
            int xo = xAt + b * 32;
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            for (int j = 0; j < 16; j += 2) {
              int p0 = nibbles[n + j] & 0xff;
              int p1 = nibbles[n + j + 1] & 0xff;
              s0 += ((p0 & 0x0f) - 8) * x[xo + j];
              s1 += ((p1 & 0x0f) - 8) * x[xo + j + 1];
              s2 += ((p0 >>> 4) - 8) * x[xo + j + 16];
              s3 += ((p1 >>> 4) - 8) * x[xo + j + 17];
            }
            sum += ((s0 + s1) + (s2 + s3)) * scales[block + b];
          }
          return sum;
        }

        @Override
        public String name() {
          return "scalar";
        }
      };

  private static float dotBfloat16(short[] w, int wAt, float[] x, int xAt, int n) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += Float.intBitsToFloat(w[wAt + i] << 16) * x[xAt + i];
      s1 += Float.intBitsToFloat(w[wAt + i + 1] << 16) * x[xAt + i + 1];
      s2 += Float.intBitsToFloat(w[wAt + i + 2] << 16) * x[xAt + i + 2];
      s3 += Float.intBitsToFloat(w[wAt + i + 3] << 16) * x[xAt + i + 3];
    }
    for (; i < n; i++) {
      s0 += Float.intBitsToFloat(w[wAt + i] << 16) * x[xAt + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static float dotHalf(short[] w, int wAt, float[] x, int xAt, int n) {
    float[] table = HALF_TO_FLOAT;
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += table[w[wAt + i] & 0xffff] * x[xAt + i];
      s1 += table[w[wAt + i + 1] & 0xffff] * x[xAt + i + 1];
      s2 += table[w[wAt + i + 2] & 0xffff] * x[xAt + i + 2];
      s3 += table[w[wAt + i + 3] & 0xffff] * x[xAt + i + 3];
    }
    for (; i < n; i++) {
      s0 += table[w[wAt + i] & 0xffff] * x[xAt + i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
