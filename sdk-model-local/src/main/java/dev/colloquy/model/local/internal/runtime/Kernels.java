package dev.colloquy.model.local.internal.runtime;

/**
 * The plain-Java numeric kernels of the CPU runtime. Written so that HotSpot's C2 turns the inner
 * loops into AVX2 vector code: the matrix product is an "axpy" over contiguous rows of the Conv1D
 * weight ([in, out]), never a horizontal float reduction, which C2 does not vectorize.
 */
final class Kernels {

  private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

  private Kernels() {}

  /** The plain-Java matrix kernel: an axpy over panel rows, which C2 turns into AVX2 code. */
  static final MatrixKernel SCALAR =
      new MatrixKernel() {
        @Override
        public void multiply(
            float[] x,
            int xOffset,
            int xStride,
            int rows,
            PackedMatrix w,
            int rowFrom,
            int rowTo,
            int columnFrom,
            int columnTo,
            float[] out,
            int outOffset,
            int outStride) {
          multiplyScalar(
              x,
              xOffset,
              xStride,
              rows,
              w,
              rowFrom,
              rowTo,
              columnFrom,
              columnTo,
              out,
              outOffset,
              outStride);
        }

        @Override
        public String name() {
          return "scalar";
        }
      };

  /**
   * See {@link MatrixKernel#multiply}; also the fallback of the vector kernel for partial panels.
   */
  static void multiplyScalar(
      float[] x,
      int xOffset,
      int xStride,
      int rows,
      PackedMatrix w,
      int rowFrom,
      int rowTo,
      int columnFrom,
      int columnTo,
      float[] out,
      int outOffset,
      int outStride) {
    float[] data = w.data();
    int column = columnFrom;
    while (column < columnTo) {
      int panel = column / PackedMatrix.PANEL;
      int panelStart = panel * PackedMatrix.PANEL;
      int width = w.panelWidth(panel); // also the panel's row stride
      int from = column - panelStart;
      int to = Math.min(width, columnTo - panelStart);
      int base = w.panelOffset(panel);
      for (int t = 0; t < rows; t++) {
        int o =
            t * outStride
                + outOffset
                + panelStart
                - columnFrom; // out[o + j] is column panelStart + j
        java.util.Arrays.fill(out, o + from, o + to, 0f);
        int xo = t * xStride + xOffset - rowFrom;
        int r = rowFrom;
        for (; r + 4 <= rowTo; r += 4) {
          float a0 = x[xo + r];
          float a1 = x[xo + r + 1];
          float a2 = x[xo + r + 2];
          float a3 = x[xo + r + 3];
          int w0 = base + r * width;
          int w1 = w0 + width;
          int w2 = w1 + width;
          int w3 = w2 + width;
          for (int j = from; j < to; j++) {
            out[o + j] +=
                a0 * data[w0 + j] + a1 * data[w1 + j] + a2 * data[w2 + j] + a3 * data[w3 + j];
          }
        }
        for (; r < rowTo; r++) {
          float a0 = x[xo + r];
          int w0 = base + r * width;
          for (int j = from; j < to; j++) {
            out[o + j] += a0 * data[w0 + j];
          }
        }
      }
      column = panelStart + to;
    }
  }

  /** Layer norm of each row of x [rows, width] into out [rows, width]. */
  static void layerNorm(
      float[] x, int rows, int width, float[] weight, float[] bias, float epsilon, float[] out) {
    layerNorm(x, 0, rows, width, weight, bias, epsilon, out);
  }

  /** Layer norm of rows [xRow, xRow + rows) of x [*, width] into rows [0, rows) of out. */
  static void layerNorm(
      float[] x,
      int xRow,
      int rows,
      int width,
      float[] weight,
      float[] bias,
      float epsilon,
      float[] out) {
    for (int t = 0; t < rows; t++) {
      int o = (xRow + t) * width;
      int r = t * width;
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
        out[r + i] = (x[o + i] - mean) * inverse * weight[i] + bias[i];
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

  /**
   * {@code residual[t, :] += bias + sum of partials[p][t, :]} for t in [0, rows), partials added in
   * index order so the sum does not depend on which thread wrote which partial; an empty bias adds
   * nothing.
   */
  static void addPartials(float[] residual, int rows, int width, float[] bias, float[][] partials) {
    for (int t = 0; t < rows; t++) {
      int o = t * width;
      for (int i = 0; i < width; i++) {
        float sum = bias.length == 0 ? 0f : bias[i];
        for (float[] partial : partials) {
          sum += partial[o + i];
        }
        residual[o + i] += sum;
      }
    }
  }

  /** {@code x[xOffset + i] += y[yOffset + i]} for i in [0, length). */
  static void addInPlace(float[] x, int xOffset, float[] y, int yOffset, int length) {
    for (int i = 0; i < length; i++) {
      x[xOffset + i] += y[yOffset + i];
    }
  }

  /**
   * RMSNorm of row {@code xRow + t} of x [*, width] into row t of out, for t in [0, rows): {@code x
   * / sqrt(mean(x^2) + epsilon) * weight}, as transformers' LlamaRMSNorm computes it in float32.
   */
  static void rmsNorm(
      float[] x, int xRow, int rows, int width, float[] weight, float epsilon, float[] out) {
    for (int t = 0; t < rows; t++) {
      rmsNormSpan(x, (xRow + t) * width, width, weight, epsilon, out, t * width);
    }
  }

  /** RMSNorm of {@code x[from, from + width)} into {@code out[to, to + width)} (may alias). */
  static void rmsNormSpan(
      float[] x, int from, int width, float[] weight, float epsilon, float[] out, int to) {
    float squares = 0;
    for (int i = 0; i < width; i++) {
      squares += x[from + i] * x[from + i];
    }
    float inverse = (float) (1.0 / Math.sqrt(squares / width + epsilon));
    for (int i = 0; i < width; i++) {
      out[to + i] = weight[i] * (x[from + i] * inverse);
    }
  }

  /** SiLU, {@code x * sigmoid(x)}, in place on [from, to). */
  static void silu(float[] x, int from, int to) {
    for (int i = from; i < to; i++) {
      x[i] = x[i] / (1f + (float) Math.exp(-x[i]));
    }
  }
}
