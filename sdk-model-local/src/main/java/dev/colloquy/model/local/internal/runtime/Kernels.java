package dev.colloquy.model.local.internal.runtime;

import java.util.Arrays;

/**
 * The plain-Java numeric kernels of the CPU runtime (Java 17; the Vector API kernel replaces the
 * matrix product on Java 21+). The matrix product is an "axpy" over contiguous panel rows, never a
 * horizontal float reduction, so C2 may vectorize it; the JDK 17.0.15 measured here leaves it
 * scalar (docs/local.md).
 */
final class Kernels {

  private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

  private Kernels() {}

  /** The plain-Java matrix kernel: an axpy over panel rows. */
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
   * Each output is summed four inputs at a time, {@code s += ((a0 * w0 + a1 * w1) + a2 * w2) + a3 *
   * w3}, then one at a time: several rows are taken two at a time so that each weight loaded serves
   * both, with the same expressions, so a row's result does not depend on the other rows.
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
    int column = columnFrom;
    while (column < columnTo) {
      int panel = column / PackedMatrix.PANEL;
      int panelStart = panel * PackedMatrix.PANEL;
      int from = column - panelStart;
      int to = Math.min(w.panelWidth(panel), columnTo - panelStart);
      int o =
          outOffset
              + panelStart
              - columnFrom; // out[o + t * outStride + j] is column panelStart + j
      int xo = xOffset - rowFrom; // row t's x[r] is x[xo + t * xStride + r]
      int t = 0;
      for (; t + 2 <= rows; t += 2) {
        int o0 = o + t * outStride;
        int o1 = o0 + outStride;
        Arrays.fill(out, o0 + from, o0 + to, 0f);
        Arrays.fill(out, o1 + from, o1 + to, 0f);
        twoRows(x, xo + t * xStride, xStride, w, panel, rowFrom, rowTo, from, to, out, o0, o1);
      }
      if (t < rows) {
        int ot = o + t * outStride;
        Arrays.fill(out, ot + from, ot + to, 0f);
        oneRow(x, xo + t * xStride, w, panel, rowFrom, rowTo, from, to, out, ot);
      }
      column = panelStart + to;
    }
  }

  /** Adds row x[xo + r] times columns [from, to) of a panel into out[o + from, o + to). */
  private static void oneRow(
      float[] x,
      int xo,
      PackedMatrix w,
      int panel,
      int rowFrom,
      int rowTo,
      int from,
      int to,
      float[] out,
      int o) {
    float[] data = w.data();
    int base = w.panelOffset(panel);
    int width = w.panelWidth(panel); // also the panel's row stride
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
        out[o + j] += a0 * data[w0 + j] + a1 * data[w1 + j] + a2 * data[w2 + j] + a3 * data[w3 + j];
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

  /**
   * Adds rows x[xo + r] and x[xo + xStride + r] times columns [from, to) of a panel into out[o0 +
   * j] and out[o1 + j], with {@link #oneRow}'s expressions, each weight loaded once for both.
   */
  private static void twoRows(
      float[] x,
      int xo,
      int xStride,
      PackedMatrix w,
      int panel,
      int rowFrom,
      int rowTo,
      int from,
      int to,
      float[] out,
      int o0,
      int o1) {
    float[] data = w.data();
    int base = w.panelOffset(panel);
    int width = w.panelWidth(panel);
    int x1 = xo + xStride;
    int r = rowFrom;
    for (; r + 4 <= rowTo; r += 4) {
      float a0 = x[xo + r];
      float a1 = x[xo + r + 1];
      float a2 = x[xo + r + 2];
      float a3 = x[xo + r + 3];
      float b0 = x[x1 + r];
      float b1 = x[x1 + r + 1];
      float b2 = x[x1 + r + 2];
      float b3 = x[x1 + r + 3];
      int w0 = base + r * width;
      int w1 = w0 + width;
      int w2 = w1 + width;
      int w3 = w2 + width;
      for (int j = from; j < to; j++) {
        float v0 = data[w0 + j];
        float v1 = data[w1 + j];
        float v2 = data[w2 + j];
        float v3 = data[w3 + j];
        out[o0 + j] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
        out[o1 + j] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
      }
    }
    for (; r < rowTo; r++) {
      float a0 = x[xo + r];
      float b0 = x[x1 + r];
      int w0 = base + r * width;
      for (int j = from; j < to; j++) {
        float v0 = data[w0 + j];
        out[o0 + j] += a0 * v0;
        out[o1 + j] += b0 * v0;
      }
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

  /**
   * The dot product of {@code a[aAt, aAt + length)} and {@code b[bAt, bAt + length)}, summed in
   * eight interleaved partial sums (element i into sum i mod 8) added pairwise at the end. Why: one
   * running sum waits on each add's latency, which slowed attention over a long cache (a late
   * turn's new rows against every cached position); eight independent sums keep the adder busy. The
   * order is fixed, so every caller gets the same bits for the same inputs.
   */
  static float dot(float[] a, int aAt, float[] b, int bAt, int length) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      s0 += a[aAt + i] * b[bAt + i];
      s1 += a[aAt + i + 1] * b[bAt + i + 1];
      s2 += a[aAt + i + 2] * b[bAt + i + 2];
      s3 += a[aAt + i + 3] * b[bAt + i + 3];
      s4 += a[aAt + i + 4] * b[bAt + i + 4];
      s5 += a[aAt + i + 5] * b[bAt + i + 5];
      s6 += a[aAt + i + 6] * b[bAt + i + 6];
      s7 += a[aAt + i + 7] * b[bAt + i + 7];
    }
    for (; i < length; i++) {
      s0 += a[aAt + i] * b[bAt + i];
    }
    return ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7));
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
