package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;

/**
 * The plain-Java (Java 17) {@link BlockKernel}: four weight columns at a time are dequantized into
 * a small buffer ({@link WeightTensor#copyTo}, ggml's own arithmetic), and every activation row
 * then runs one sum per column over it, in the order of r. So dequantizing costs once per call, not
 * once per row, and a row's sums are the same alone or among others. C2 does not vectorize float
 * reductions; four columns' sums side by side give it the instruction-level parallelism. The Java
 * 21+ part of the jar adds a Vector API kernel (see {@link MatrixKernels#bestBlock()}).
 */
final class BlockKernels {

  private BlockKernels() {}

  private static final int COLUMNS = 4;

  /** The plain-Java block kernel. */
  static final BlockKernel SCALAR =
      new BlockKernel() {
        @Override
        public void multiply(
            WeightTensor tensor,
            int in,
            int from,
            int to,
            int columnFrom,
            int columnTo,
            float[] x,
            int xAt,
            int xStride,
            int rows,
            float[] out,
            int outAt,
            int outStride) {
          int span = to - from;
          float[] w = new float[COLUMNS * span]; // [COLUMNS, span]: dequantized weight rows
          for (int c = columnFrom; c < columnTo; c += COLUMNS) {
            int columns = Math.min(COLUMNS, columnTo - c);
            for (int k = 0; k < columns; k++) {
              tensor.copyTo((c + k) * in + from, span, w, k * span);
            }
            for (int t = 0; t < rows; t++) {
              int xo = t * xStride + xAt;
              int o = t * outStride + outAt + c - columnFrom;
              if (columns == COLUMNS) {
                dot4(w, span, x, xo, out, o);
              } else {
                for (int k = 0; k < columns; k++) {
                  out[o + k] = dot(w, k * span, x, xo, span);
                }
              }
            }
          }
        }

        @Override
        public String name() {
          return "scalar";
        }
      };

  /** Four columns of w at once, each summed exactly as {@link #dot} sums it. */
  private static void dot4(float[] w, int span, float[] x, int xAt, float[] out, int o) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    for (int r = 0; r < span; r++) {
      float xr = x[xAt + r];
      s0 += w[r] * xr;
      s1 += w[span + r] * xr;
      s2 += w[2 * span + r] * xr;
      s3 += w[3 * span + r] * xr;
    }
    out[o] = s0;
    out[o + 1] = s1;
    out[o + 2] = s2;
    out[o + 3] = s3;
  }

  private static float dot(float[] w, int wAt, float[] x, int xAt, int span) {
    float sum = 0f;
    for (int r = 0; r < span; r++) {
      sum += w[wAt + r] * x[xAt + r];
    }
    return sum;
  }
}
