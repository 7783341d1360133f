package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
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

  /**
   * Rows of at most this many values are short: the engine's row slices (the MLP's down projection,
   * attention's output projection: 256 values or fewer per column) give them.
   */
  static final int SHORT_ROW = 512;

  /** How many columns ahead of the ones being summed a short row's cache lines are touched. */
  static final int AHEAD = 8;

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
          int c = columnFrom;
          if (rows == 1) {
            boolean ahead = span <= SHORT_ROW;
            int sink = 0;
            for (; c + COLUMNS <= columnTo; c += COLUMNS) {
              if (ahead) {
                sink += touch(tensor, (c + AHEAD) * in + from, in, span);
              }
              dot4(tensor, c * in + from, in, span, x, xAt, out, outAt + c - columnFrom);
            }
            SINK[0] = sink;
            if (c == columnTo) {
              return;
            }
          }
          float[] w = new float[COLUMNS * span]; // [COLUMNS, span]: dequantized weight rows
          for (; c < columnTo; c += COLUMNS) {
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

  // Where touched values' sum goes, so that the JIT keeps the reads; read by no one.
  private static final int[] SINK = new int[1];

  /**
   * Reads one value of each cache line of four columns' segments [i0 + k stride, + span), k < 4, in
   * every array of the tensor, and returns their sum (0 where the columns pass the tensor's end).
   * Why: a short row's columns lie a whole row apart, where the hardware prefetcher does not
   * follow, so each column's lines would otherwise be fetched only when its sum reaches them, one
   * or two columns at a time; touched {@link #AHEAD} columns early, many are in flight at once and
   * one-row throughput on short rows roughly doubles. The sums themselves are not changed.
   */
  static int touch(WeightTensor tensor, int i0, int stride, int span) {
    if ((long) i0 + 3L * stride + span > tensor.size()) {
      return 0;
    }
    int sink = 0;
    for (int k = 0; k < 4; k++) {
      int from = i0 + k * stride;
      int last = from + span - 1;
      if (tensor instanceof WeightTensor.Q8_0 q) {
        sink += touch(q.quants(), from, last);
        sink += touch(q.scales(), from >>> 5, last >>> 5);
      } else if (tensor instanceof WeightTensor.Q4_0 q) {
        sink += touch(q.nibbles(), from >>> 3, last >>> 3);
        sink += touch(q.scales(), from >>> 5, last >>> 5);
      } else if (tensor instanceof WeightTensor.Q4_K q) {
        sink += touch(q.nibbles(), from >>> 3, last >>> 3);
        sink += touch(q.scalesAndMins(), 2 * (from >>> 5), 2 * (last >>> 5) + 1);
        sink +=
            (int) (touch(q.d(), from >>> 8, last >>> 8) + touch(q.dmin(), from >>> 8, last >>> 8));
      } else if (tensor instanceof WeightTensor.Q6_K q) {
        sink += touch(q.nibbles(), from >>> 3, last >>> 3);
        sink += touch(q.highBits(), from >>> 3, last >>> 3);
        sink += touch(q.scales(), from >>> 4, last >>> 4);
        sink += (int) touch(q.d(), from >>> 8, last >>> 8);
      } else if (tensor instanceof WeightTensor.Halves h) {
        sink += touch(h.bits(), from, last);
      }
    }
    return sink;
  }

  // One value per 64-byte line of values [from, last], and the last one.

  private static int touch(byte[] values, int from, int last) {
    int sink = values[last];
    for (int i = from; i < last; i += 64) {
      sink += values[i];
    }
    return sink;
  }

  private static int touch(short[] values, int from, int last) {
    int sink = values[last];
    for (int i = from; i < last; i += 32) {
      sink += values[i];
    }
    return sink;
  }

  private static int touch(int[] values, int from, int last) {
    int sink = values[last];
    for (int i = from; i < last; i += 16) {
      sink += values[i];
    }
    return sink;
  }

  private static float touch(float[] values, int from, int last) {
    float sink = values[last];
    for (int i = from; i < last; i += 16) {
      sink += values[i];
    }
    return sink;
  }

  // One row: four columns of the tensor at i0, i0 + stride, ... over span values, each weight
  // dequantized as WeightTensor#copyTo does and summed as dot4 below sums it, so the result is the
  // one the buffered path gives. span is even (whole grains).

  private static void dot4(
      WeightTensor tensor, int i0, int stride, int span, float[] x, int xAt, float[] out, int o) {
    if (tensor instanceof WeightTensor.Q8_0 q) {
      dot4Q8(q.scales(), q.quants(), i0, stride, span, x, xAt, out, o);
    } else if (tensor instanceof WeightTensor.Q4_0 q) {
      dot4Q4(q.scales(), q.nibbles(), i0, stride, span, x, xAt, out, o);
    } else if (tensor instanceof WeightTensor.Q4_K q) {
      dot4Q4K(q, i0, stride, span, x, xAt, out, o);
    } else if (tensor instanceof WeightTensor.Q6_K q) {
      dot4Q6K(q, i0, stride, span, x, xAt, out, o);
    } else if (tensor instanceof WeightTensor.Halves h) {
      dot4Halves(h.bits(), h.brain(), i0, stride, span, x, xAt, out, o);
    } else {
      throw new IllegalArgumentException(tensor.encoding() + " weights are multiplied as panels");
    }
  }

  private static void dot4Q8(
      short[] scales,
      byte[] quants,
      int i0,
      int stride,
      int span,
      float[] x,
      int xAt,
      float[] out,
      int o) {
    float e0 = 0f;
    float e1 = 0f;
    float e2 = 0f;
    float e3 = 0f;
    float d0 = 0f;
    float d1 = 0f;
    float d2 = 0f;
    float d3 = 0f;
    for (int r = 0; r < span; r += 8) {
      int c0 = (i0 + r) >>> 3; // the chunk of 8 values, per column
      int c1 = c0 + stride / 8;
      int c2 = c1 + stride / 8;
      int c3 = c2 + stride / 8;
      float s0 = HalfFloats.toFloat(scales[c0 >>> 2]);
      float s1 = HalfFloats.toFloat(scales[c1 >>> 2]);
      float s2 = HalfFloats.toFloat(scales[c2 >>> 2]);
      float s3 = HalfFloats.toFloat(scales[c3 >>> 2]);
      for (int k = 0; k < 8; k += 2) {
        float x0 = x[xAt + r + k];
        float x1 = x[xAt + r + k + 1];
        e0 += quants[8 * c0 + k] * s0 * x0;
        d0 += quants[8 * c0 + k + 1] * s0 * x1;
        e1 += quants[8 * c1 + k] * s1 * x0;
        d1 += quants[8 * c1 + k + 1] * s1 * x1;
        e2 += quants[8 * c2 + k] * s2 * x0;
        d2 += quants[8 * c2 + k + 1] * s2 * x1;
        e3 += quants[8 * c3 + k] * s3 * x0;
        d3 += quants[8 * c3 + k + 1] * s3 * x1;
      }
    }
    out[o] = e0 + d0;
    out[o + 1] = e1 + d1;
    out[o + 2] = e2 + d2;
    out[o + 3] = e3 + d3;
  }

  private static void dot4Q4(
      short[] scales,
      int[] nibbles,
      int i0,
      int stride,
      int span,
      float[] x,
      int xAt,
      float[] out,
      int o) {
    float e0 = 0f;
    float e1 = 0f;
    float e2 = 0f;
    float e3 = 0f;
    float d0 = 0f;
    float d1 = 0f;
    float d2 = 0f;
    float d3 = 0f;
    for (int r = 0; r < span; r += 8) {
      int c0 = (i0 + r) >>> 3; // the chunk of 8 values, per column
      int c1 = c0 + stride / 8;
      int c2 = c1 + stride / 8;
      int c3 = c2 + stride / 8;
      int b0 = nibbles[c0];
      float s0 = HalfFloats.toFloat(scales[c0 >>> 2]);
      int b1 = nibbles[c1];
      float s1 = HalfFloats.toFloat(scales[c1 >>> 2]);
      int b2 = nibbles[c2];
      float s2 = HalfFloats.toFloat(scales[c2 >>> 2]);
      int b3 = nibbles[c3];
      float s3 = HalfFloats.toFloat(scales[c3 >>> 2]);
      for (int k = 0; k < 8; k += 2) {
        float x0 = x[xAt + r + k];
        float x1 = x[xAt + r + k + 1];
        e0 += (((b0 >>> 4 * k) & 15) - 8) * s0 * x0;
        d0 += (((b0 >>> 4 * k + 4) & 15) - 8) * s0 * x1;
        e1 += (((b1 >>> 4 * k) & 15) - 8) * s1 * x0;
        d1 += (((b1 >>> 4 * k + 4) & 15) - 8) * s1 * x1;
        e2 += (((b2 >>> 4 * k) & 15) - 8) * s2 * x0;
        d2 += (((b2 >>> 4 * k + 4) & 15) - 8) * s2 * x1;
        e3 += (((b3 >>> 4 * k) & 15) - 8) * s3 * x0;
        d3 += (((b3 >>> 4 * k + 4) & 15) - 8) * s3 * x1;
      }
    }
    out[o] = e0 + d0;
    out[o + 1] = e1 + d1;
    out[o + 2] = e2 + d2;
    out[o + 3] = e3 + d3;
  }

  private static void dot4Q4K(
      WeightTensor.Q4_K t, int i0, int stride, int span, float[] x, int xAt, float[] out, int o) {
    float[] dd = t.d();
    float[] dmin = t.dmin();
    byte[] small = t.scalesAndMins();
    int[] nibbles = t.nibbles();
    float e0 = 0f;
    float e1 = 0f;
    float e2 = 0f;
    float e3 = 0f;
    float d0 = 0f;
    float d1 = 0f;
    float d2 = 0f;
    float d3 = 0f;
    for (int r = 0; r < span; r += 8) {
      int c0 = (i0 + r) >>> 3; // the chunk of 8 values, per column
      int c1 = c0 + stride / 8;
      int c2 = c1 + stride / 8;
      int c3 = c2 + stride / 8;
      int b0 = nibbles[c0];
      float s0 = dd[c0 >>> 5] * small[2 * (c0 >>> 2)];
      float m0 = dmin[c0 >>> 5] * small[2 * (c0 >>> 2) + 1];
      int b1 = nibbles[c1];
      float s1 = dd[c1 >>> 5] * small[2 * (c1 >>> 2)];
      float m1 = dmin[c1 >>> 5] * small[2 * (c1 >>> 2) + 1];
      int b2 = nibbles[c2];
      float s2 = dd[c2 >>> 5] * small[2 * (c2 >>> 2)];
      float m2 = dmin[c2 >>> 5] * small[2 * (c2 >>> 2) + 1];
      int b3 = nibbles[c3];
      float s3 = dd[c3 >>> 5] * small[2 * (c3 >>> 2)];
      float m3 = dmin[c3 >>> 5] * small[2 * (c3 >>> 2) + 1];
      for (int k = 0; k < 8; k += 2) {
        float x0 = x[xAt + r + k];
        float x1 = x[xAt + r + k + 1];
        e0 += (s0 * ((b0 >>> 4 * k) & 15) - m0) * x0;
        d0 += (s0 * ((b0 >>> 4 * k + 4) & 15) - m0) * x1;
        e1 += (s1 * ((b1 >>> 4 * k) & 15) - m1) * x0;
        d1 += (s1 * ((b1 >>> 4 * k + 4) & 15) - m1) * x1;
        e2 += (s2 * ((b2 >>> 4 * k) & 15) - m2) * x0;
        d2 += (s2 * ((b2 >>> 4 * k + 4) & 15) - m2) * x1;
        e3 += (s3 * ((b3 >>> 4 * k) & 15) - m3) * x0;
        d3 += (s3 * ((b3 >>> 4 * k + 4) & 15) - m3) * x1;
      }
    }
    out[o] = e0 + d0;
    out[o + 1] = e1 + d1;
    out[o + 2] = e2 + d2;
    out[o + 3] = e3 + d3;
  }

  private static void dot4Q6K(
      WeightTensor.Q6_K t, int i0, int stride, int span, float[] x, int xAt, float[] out, int o) {
    float[] dd = t.d();
    byte[] small = t.scales();
    int[] nibbles = t.nibbles();
    short[] highBits = t.highBits();
    float e0 = 0f;
    float e1 = 0f;
    float e2 = 0f;
    float e3 = 0f;
    float d0 = 0f;
    float d1 = 0f;
    float d2 = 0f;
    float d3 = 0f;
    for (int r = 0; r < span; r += 8) {
      int c0 = (i0 + r) >>> 3; // the chunk of 8 values, per column
      int c1 = c0 + stride / 8;
      int c2 = c1 + stride / 8;
      int c3 = c2 + stride / 8;
      int b0 = nibbles[c0];
      int h0 = highBits[c0];
      float s0 = dd[c0 >>> 5] * small[c0 >>> 1];
      int b1 = nibbles[c1];
      int h1 = highBits[c1];
      float s1 = dd[c1 >>> 5] * small[c1 >>> 1];
      int b2 = nibbles[c2];
      int h2 = highBits[c2];
      float s2 = dd[c2 >>> 5] * small[c2 >>> 1];
      int b3 = nibbles[c3];
      int h3 = highBits[c3];
      float s3 = dd[c3 >>> 5] * small[c3 >>> 1];
      for (int k = 0; k < 8; k += 2) {
        float x0 = x[xAt + r + k];
        float x1 = x[xAt + r + k + 1];
        e0 += s0 * ((((b0 >>> 4 * k) & 15) | (((h0 >>> 2 * k) & 3) << 4)) - 32) * x0;
        d0 += s0 * ((((b0 >>> 4 * k + 4) & 15) | (((h0 >>> 2 * k + 2) & 3) << 4)) - 32) * x1;
        e1 += s1 * ((((b1 >>> 4 * k) & 15) | (((h1 >>> 2 * k) & 3) << 4)) - 32) * x0;
        d1 += s1 * ((((b1 >>> 4 * k + 4) & 15) | (((h1 >>> 2 * k + 2) & 3) << 4)) - 32) * x1;
        e2 += s2 * ((((b2 >>> 4 * k) & 15) | (((h2 >>> 2 * k) & 3) << 4)) - 32) * x0;
        d2 += s2 * ((((b2 >>> 4 * k + 4) & 15) | (((h2 >>> 2 * k + 2) & 3) << 4)) - 32) * x1;
        e3 += s3 * ((((b3 >>> 4 * k) & 15) | (((h3 >>> 2 * k) & 3) << 4)) - 32) * x0;
        d3 += s3 * ((((b3 >>> 4 * k + 4) & 15) | (((h3 >>> 2 * k + 2) & 3) << 4)) - 32) * x1;
      }
    }
    out[o] = e0 + d0;
    out[o + 1] = e1 + d1;
    out[o + 2] = e2 + d2;
    out[o + 3] = e3 + d3;
  }

  private static void dot4Halves(
      short[] bits,
      boolean brain,
      int i0,
      int stride,
      int span,
      float[] x,
      int xAt,
      float[] out,
      int o) {
    float e0 = 0f;
    float e1 = 0f;
    float e2 = 0f;
    float e3 = 0f;
    float d0 = 0f;
    float d1 = 0f;
    float d2 = 0f;
    float d3 = 0f;
    for (int r = 0; r < span; r += 8) {
      for (int k = 0; k < 8; k += 2) {
        float x0 = x[xAt + r + k];
        float x1 = x[xAt + r + k + 1];
        e0 += widen(bits, i0 + r + k, brain) * x0;
        d0 += widen(bits, i0 + r + k + 1, brain) * x1;
        e1 += widen(bits, i0 + stride + r + k, brain) * x0;
        d1 += widen(bits, i0 + stride + r + k + 1, brain) * x1;
        e2 += widen(bits, i0 + 2 * stride + r + k, brain) * x0;
        d2 += widen(bits, i0 + 2 * stride + r + k + 1, brain) * x1;
        e3 += widen(bits, i0 + 3 * stride + r + k, brain) * x0;
        d3 += widen(bits, i0 + 3 * stride + r + k + 1, brain) * x1;
      }
    }
    out[o] = e0 + d0;
    out[o + 1] = e1 + d1;
    out[o + 2] = e2 + d2;
    out[o + 3] = e3 + d3;
  }

  private static final float[] HALF_TO_FLOAT = halfTable();

  private static float[] halfTable() {
    float[] table = new float[1 << 16];
    for (int bits = 0; bits < table.length; bits++) {
      table[bits] = new WeightTensor.Halves(new short[] {(short) bits}, false).get(0);
    }
    return table;
  }

  /** A 16-bit float widened, as WeightTensor.Halves#copyTo widens it. */
  private static float widen(short[] bits, int i, boolean brain) {
    return brain ? Float.intBitsToFloat(bits[i] << 16) : HALF_TO_FLOAT[bits[i] & 0xffff];
  }

  /**
   * Four columns of w at once, each summed exactly as {@link #dot} sums it: two sums per column
   * (even and odd r, added at the end), so eight independent chains.
   */
  private static void dot4(float[] w, int span, float[] x, int xAt, float[] out, int o) {
    float e0 = 0f;
    float e1 = 0f;
    float e2 = 0f;
    float e3 = 0f;
    float d0 = 0f;
    float d1 = 0f;
    float d2 = 0f;
    float d3 = 0f;
    int r = 0;
    for (; r + 2 <= span; r += 2) {
      float x0 = x[xAt + r];
      float x1 = x[xAt + r + 1];
      e0 += w[r] * x0;
      d0 += w[r + 1] * x1;
      e1 += w[span + r] * x0;
      d1 += w[span + r + 1] * x1;
      e2 += w[2 * span + r] * x0;
      d2 += w[2 * span + r + 1] * x1;
      e3 += w[3 * span + r] * x0;
      d3 += w[3 * span + r + 1] * x1;
    }
    if (r < span) {
      float xr = x[xAt + r];
      e0 += w[r] * xr;
      e1 += w[span + r] * xr;
      e2 += w[2 * span + r] * xr;
      e3 += w[3 * span + r] * xr;
    }
    out[o] = e0 + d0;
    out[o + 1] = e1 + d1;
    out[o + 2] = e2 + d2;
    out[o + 3] = e3 + d3;
  }

  private static float dot(float[] w, int wAt, float[] x, int xAt, int span) {
    float even = 0f;
    float odd = 0f;
    int r = 0;
    for (; r + 2 <= span; r += 2) {
      even += w[wAt + r] * x[xAt + r];
      odd += w[wAt + r + 1] * x[xAt + r + 1];
    }
    if (r < span) {
      even += w[wAt + r] * x[xAt + r];
    }
    return even + odd;
  }
}
