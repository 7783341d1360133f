package dev.colloquy.model.local.internal.runtime;

/**
 * The plain-Java numeric kernels of the CPU runtime. Written so that HotSpot's C2 turns the inner
 * loops into AVX2 vector code: the matrix product is an "axpy" over contiguous rows of the
 * Conv1D weight ([in, out]), never a horizontal float reduction, which C2 does not vectorize.
 */
final class Kernels {

  private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

  private Kernels() {
  }

  /**
   * {@code out[t, c] = bias[c] + sum_i x[t, i] * weight[i, c]} for columns c in [from, to).
   *
   * @param x [rows, in]
   * @param weight [in, out], the Conv1D layout
   * @param bias [out]
   * @param out [rows, out]
   */
  static void linear(float[] x, int rows, int in, float[] weight, float[] bias, int out, float[] result,
      int from, int to) {
    for (int t = 0; t < rows; t++) {
      System.arraycopy(bias, from, result, t * out + from, to - from);
    }
    int i = 0;
    for (; i + 4 <= in; i += 4) {
      int w0 = i * out;
      int w1 = w0 + out;
      int w2 = w1 + out;
      int w3 = w2 + out;
      for (int t = 0; t < rows; t++) {
        float a0 = x[t * in + i];
        float a1 = x[t * in + i + 1];
        float a2 = x[t * in + i + 2];
        float a3 = x[t * in + i + 3];
        int o = t * out;
        for (int c = from; c < to; c++) {
          result[o + c] += a0 * weight[w0 + c] + a1 * weight[w1 + c] + a2 * weight[w2 + c] + a3 * weight[w3 + c];
        }
      }
    }
    for (; i < in; i++) {
      int w0 = i * out;
      for (int t = 0; t < rows; t++) {
        float a0 = x[t * in + i];
        int o = t * out;
        for (int c = from; c < to; c++) {
          result[o + c] += a0 * weight[w0 + c];
        }
      }
    }
  }

  /** Layer norm of each row of x [rows, width] into out [rows, width]. */
  static void layerNorm(float[] x, int rows, int width, float[] weight, float[] bias, float epsilon, float[] out) {
    for (int t = 0; t < rows; t++) {
      int o = t * width;
      float sum = 0;
      for (int i = 0; i < width; i++) {
        sum += x[o + i];
      }
      float mean = sum / width;
      float squares = 0;
      for (int i = 0; i < width; i++) {
        float d = x[o + i] - mean;
        squares += d * d;
      }
      float inverse = (float) (1.0 / Math.sqrt(squares / width + epsilon));
      for (int i = 0; i < width; i++) {
        out[o + i] = (x[o + i] - mean) * inverse * weight[i] + bias[i];
      }
    }
  }

  /** GPT-2's GELU, the tanh form, in place on [from, to). */
  static void geluTanh(float[] x, int from, int to) {
    for (int i = from; i < to; i++) {
      float v = x[i];
      float u = GELU_SCALE * (v + 0.044715f * v * v * v);
      // tanh(u) = 1 - 2 / (exp(2u) + 1): exp is an intrinsic, tanh is not.
      float tanh = 1f - 2f / ((float) Math.exp(2f * u) + 1f);
      x[i] = 0.5f * v * (1f + tanh);
    }
  }

  /** {@code x[i] += y[i]}. */
  static void addInPlace(float[] x, float[] y, int length) {
    for (int i = 0; i < length; i++) {
      x[i] += y[i];
    }
  }
}
