package dev.colloquy.model.local.internal.runtime;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link AttentionKernel} (Java 21+): 512-bit vectors where they are native, else
 * 256-bit.
 *
 * <p>Why: a conversation's later turns attend each new row over every cached position. With keys
 * kept position-major, each score ended in a horizontal sum of lanes and a scalar {@code Math.exp},
 * about 18 ns of CPU per row, position and head on GPT-2's 64-wide heads, which made the tenth
 * turn's first token wait 1.4 times as long as the first's. Here the keys are dimension-major in
 * blocks of positions ({@link AttentionKernel#keyIndex}), so a vector of scores is a vector of
 * multiply-add chains over the dimensions, one lane per position, four vectors in flight; the
 * exponentials are a vector polynomial; and the weighted sum keeps the context in registers.
 *
 * <p>Every operation is lane-wise IEEE arithmetic, integer arithmetic or a conversion, which give
 * the same bits whether C2 has compiled them or not, so that a row gets the same result alone or in
 * a step, early or late in the JVM's life. Lanes are added across only in the softmax's sum, in a
 * fixed order. ({@code VectorOperators.EXP} and {@code reduceLanes(ADD)} are avoided: their
 * compiled forms may differ from their interpreted ones.)
 */
final class VectorAttentionKernel implements AttentionKernel {

  private static final VectorSpecies<Float> FLOATS =
      FloatVector.SPECIES_PREFERRED.length() >= 16 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
  private static final int LANES = FLOATS.length();

  /** Adding it rounds a float of magnitude below 2^22 to an integer, held in its low bits. */
  private static final float ROUNDER = 0x1.8p23f;

  private static final float LOG2_E = 1.44269504f;
  private static final float LN2_HIGH = 0.693359375f; // exact in few bits: n * LN2_HIGH is exact
  private static final float LN2_LOW = -2.12194440e-4f;

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void attend(float[] q, int qAt, float[] keys, float[] values, int base, int width,
      int first, int last, float scale, float[] scores, float[] context, int out) {
    int from = first - first % LANES;
    scores(q, qAt, keys, base, width, from, last + 1, scale, scores);
    finish(values, base, width, from, first, last, scores, 0, context, out);
  }

  /**
   * Four queries at a time read each key vector once for all four (the one-query kernel re-read the
   * head's keys from the L2 cache for every query, which bound it); each query's scores are the
   * same multiply-add chains as alone, so it gets {@link #attend}'s bits.
   */
  @Override
  public void attendMany(float[] q, int qAt, int qStride, int count, float[] keys, float[] values,
      int base, int width, int first, int last, int lastStep, float scale, float[] scores,
      float[] context, int out, int outStride) {
    int from = first - first % LANES;
    int stride = AttentionKernel.cachedPositions(last + (count - 1) * lastStep + 1);
    int i = 0;
    for (; i + 4 <= count; i += 4) {
      int end = last + (i + 3) * lastStep + 1;
      scores4(q, qAt + i * qStride, qStride, keys, base, width, from, end, scale, scores, stride);
      if (width == 4 * LANES) {
        for (int r = 0; r < 4; r += 2) {
          int lastA = last + (i + r) * lastStep;
          int lastB = lastA + lastStep;
          float inverseA = 1 / softmax(scores, r * stride, from, first, lastA);
          float inverseB = 1 / softmax(scores, (r + 1) * stride, from, first, lastB);
          weightedSum4Pair(values, base, first, lastA, lastB, scores, r * stride,
              (r + 1) * stride, inverseA, inverseB, context, out + (i + r) * outStride,
              out + (i + r + 1) * outStride);
        }
      } else {
        for (int r = 0; r < 4; r++) {
          finish(values, base, width, from, first, last + (i + r) * lastStep, scores, r * stride,
              context, out + (i + r) * outStride);
        }
      }
    }
    for (; i < count; i++) {
      attend(q, qAt + i * qStride, keys, values, base, width, first, last + i * lastStep, scale,
          scores, context, out + i * outStride);
    }
  }

  /** The softmax and weighted sum of one query whose score of p is scores[at + p]. */
  private static void finish(float[] values, int base, int width, int from, int first, int last,
      float[] scores, int at, float[] context, int out) {
    float inverse = 1 / softmax(scores, at, from, first, last);
    if (width == 4 * LANES) {
      weightedSum4(values, base, first, last, scores, at, inverse, context, out);
    } else {
      weightedSum(values, base, width, first, last, scores, at, inverse, context, out);
    }
  }

  /**
   * As {@link #scores} for four queries at q0, q0 + qStride, ..., query r's score of p into
   * scores[r * stride + p], to at least {@code end} for all four.
   */
  private static void scores4(float[] q, int q0, int qStride, float[] keys, int base, int width,
      int from, int end, float scale, float[] scores, int stride) {
    int q1 = q0 + qStride;
    int q2 = q1 + qStride;
    int q3 = q2 + qStride;
    int stop = roundUp(end);
    int p = from;
    for (; p + 2 * LANES <= stop; p += 2 * LANES) {
      int k0 = AttentionKernel.keyIndex(base, width, p, 0);
      int k1 = AttentionKernel.keyIndex(base, width, p + LANES, 0);
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector b0 = a0;
      FloatVector b1 = a0;
      FloatVector c0 = a0;
      FloatVector c1 = a0;
      FloatVector e0 = a0;
      FloatVector e1 = a0;
      for (int d = 0; d < width; d++) {
        int at = d * KEY_BLOCK;
        FloatVector x0 = FloatVector.fromArray(FLOATS, keys, k0 + at);
        FloatVector x1 = FloatVector.fromArray(FLOATS, keys, k1 + at);
        FloatVector y = FloatVector.broadcast(FLOATS, q[q0 + d]);
        a0 = x0.fma(y, a0);
        a1 = x1.fma(y, a1);
        y = FloatVector.broadcast(FLOATS, q[q1 + d]);
        b0 = x0.fma(y, b0);
        b1 = x1.fma(y, b1);
        y = FloatVector.broadcast(FLOATS, q[q2 + d]);
        c0 = x0.fma(y, c0);
        c1 = x1.fma(y, c1);
        y = FloatVector.broadcast(FLOATS, q[q3 + d]);
        e0 = x0.fma(y, e0);
        e1 = x1.fma(y, e1);
      }
      a0.mul(scale).intoArray(scores, p);
      a1.mul(scale).intoArray(scores, p + LANES);
      b0.mul(scale).intoArray(scores, stride + p);
      b1.mul(scale).intoArray(scores, stride + p + LANES);
      c0.mul(scale).intoArray(scores, 2 * stride + p);
      c1.mul(scale).intoArray(scores, 2 * stride + p + LANES);
      e0.mul(scale).intoArray(scores, 3 * stride + p);
      e1.mul(scale).intoArray(scores, 3 * stride + p + LANES);
    }
    for (; p < stop; p += LANES) {
      int k = AttentionKernel.keyIndex(base, width, p, 0);
      FloatVector a = FloatVector.zero(FLOATS);
      FloatVector b = a;
      FloatVector c = a;
      FloatVector e = a;
      for (int d = 0; d < width; d++) {
        FloatVector x = FloatVector.fromArray(FLOATS, keys, k + d * KEY_BLOCK);
        a = x.fma(FloatVector.broadcast(FLOATS, q[q0 + d]), a);
        b = x.fma(FloatVector.broadcast(FLOATS, q[q1 + d]), b);
        c = x.fma(FloatVector.broadcast(FLOATS, q[q2 + d]), c);
        e = x.fma(FloatVector.broadcast(FLOATS, q[q3 + d]), e);
      }
      a.mul(scale).intoArray(scores, p);
      b.mul(scale).intoArray(scores, stride + p);
      c.mul(scale).intoArray(scores, 2 * stride + p);
      e.mul(scale).intoArray(scores, 3 * stride + p);
    }
  }

  /**
   * scores[p] = scale * q · k_p for p from {@code from} (a multiple of the lanes) in whole vectors
   * to at least {@code end}: four vectors of positions at a time, each lane a multiply-add chain
   * over the dimensions in order.
   */
  private static void scores(float[] q, int qAt, float[] keys, int base, int width, int from,
      int end, float scale, float[] scores) {
    int stop = roundUp(end);
    int p = from;
    for (; p + 4 * LANES <= stop; p += 4 * LANES) {
      int k0 = AttentionKernel.keyIndex(base, width, p, 0);
      int k1 = AttentionKernel.keyIndex(base, width, p + LANES, 0);
      int k2 = AttentionKernel.keyIndex(base, width, p + 2 * LANES, 0);
      int k3 = AttentionKernel.keyIndex(base, width, p + 3 * LANES, 0);
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int d = 0; d < width; d++) {
        FloatVector qd = FloatVector.broadcast(FLOATS, q[qAt + d]);
        int at = d * KEY_BLOCK;
        a0 = FloatVector.fromArray(FLOATS, keys, k0 + at).fma(qd, a0);
        a1 = FloatVector.fromArray(FLOATS, keys, k1 + at).fma(qd, a1);
        a2 = FloatVector.fromArray(FLOATS, keys, k2 + at).fma(qd, a2);
        a3 = FloatVector.fromArray(FLOATS, keys, k3 + at).fma(qd, a3);
      }
      a0.mul(scale).intoArray(scores, p);
      a1.mul(scale).intoArray(scores, p + LANES);
      a2.mul(scale).intoArray(scores, p + 2 * LANES);
      a3.mul(scale).intoArray(scores, p + 3 * LANES);
    }
    for (; p < stop; p += LANES) {
      int k = AttentionKernel.keyIndex(base, width, p, 0);
      FloatVector a = FloatVector.zero(FLOATS);
      for (int d = 0; d < width; d++) {
        a = FloatVector.fromArray(FLOATS, keys, k + d * KEY_BLOCK)
            .fma(FloatVector.broadcast(FLOATS, q[qAt + d]), a);
      }
      a.mul(scale).intoArray(scores, p);
    }
  }

  private static int roundUp(int positions) {
    return (positions + LANES - 1) / LANES * LANES;
  }

  /** Replaces a query's scores by their exponentials (see {@link #exponentials}); their sum. */
  private static float softmax(float[] scores, int at, int from, int first, int last) {
    return exponentials(scores, at, from, first, last, max(scores, at, first, last));
  }

  /** The largest score in [first, last] (max is exact in any order). */
  private static float max(float[] scores, int at, int first, int last) {
    float max = Float.NEGATIVE_INFINITY;
    int p = first;
    for (; p <= last && p % LANES != 0; p++) {
      max = Math.max(max, scores[at + p]);
    }
    FloatVector m = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
    for (; p + LANES - 1 <= last; p += LANES) {
      m = m.max(FloatVector.fromArray(FLOATS, scores, at + p));
    }
    max = Math.max(max, m.reduceLanes(VectorOperators.MAX));
    for (; p <= last; p++) {
      max = Math.max(max, scores[at + p]);
    }
    return max;
  }

  /**
   * Replaces scores[first, last] by exp(score - max) and the rest of their vectors by 0, and
   * returns their sum: lane-wise in position order, then across the lanes in a fixed order.
   */
  private static float exponentials(float[] scores, int at, int from, int first, int last,
      float max) {
    FloatVector top = FloatVector.broadcast(FLOATS, max);
    FloatVector sum = FloatVector.zero(FLOATS);
    int end = roundUp(last + 1);
    for (int p = from; p < end; p += LANES) {
      exp(FloatVector.fromArray(FLOATS, scores, at + p).sub(top)).intoArray(scores, at + p);
      if (p < first || p + LANES - 1 > last) {
        for (int i = p; i < p + LANES; i++) {
          if (i < first || i > last) {
            scores[at + i] = 0;
          }
        }
      }
      sum = sum.add(FloatVector.fromArray(FLOATS, scores, at + p));
    }
    float[] lanes = new float[LANES];
    sum.intoArray(lanes, 0);
    for (int width = LANES / 2; width > 0; width /= 2) {
      for (int i = 0; i < width; i++) {
        lanes[i] += lanes[i + width];
      }
    }
    return lanes[0];
  }

  /**
   * e^x for x ≤ 0: x = n ln 2 + r with n an integer and |r| ≤ ln 2 / 2, e^r by its Taylor
   * polynomial to r^7 (its error is below a float's rounding there), 2^n built in the exponent
   * bits. x is clamped at -87, where 2^n is still a normal float; e^-87 is nothing beside the
   * largest score's 1.
   */
  private static FloatVector exp(FloatVector x) {
    FloatVector v = x.max(-87f);
    FloatVector shifted = v.mul(LOG2_E).add(ROUNDER);
    FloatVector n = shifted.sub(ROUNDER);
    FloatVector r = n.fma(FloatVector.broadcast(FLOATS, -LN2_HIGH), v);
    r = n.fma(FloatVector.broadcast(FLOATS, -LN2_LOW), r);
    FloatVector p = r.fma(1f / 5040, 1f / 720);
    p = p.fma(r, FloatVector.broadcast(FLOATS, 1f / 120));
    p = p.fma(r, FloatVector.broadcast(FLOATS, 1f / 24));
    p = p.fma(r, FloatVector.broadcast(FLOATS, 1f / 6));
    p = p.fma(r, FloatVector.broadcast(FLOATS, 0.5f));
    p = p.fma(r, FloatVector.broadcast(FLOATS, 1f));
    p = p.fma(r, FloatVector.broadcast(FLOATS, 1f));
    IntVector power = ((IntVector) shifted.reinterpretAsInts())
        .add(127 - 0x4B400000)
        .lanewise(VectorOperators.LSHL, 23);
    return p.mul(power.reinterpretAsFloats());
  }

  /**
   * context = Σ scores[p] v_p × inverse for a head of four vectors, the context in registers: even
   * and odd positions in two sets of accumulators, added at the end, so that eight multiply-add
   * chains are in flight rather than four (5% faster by {@code AttentionBenchmark}).
   */
  private static void weightedSum4(float[] values, int base, int first, int last, float[] scores,
      int at, float inverse, float[] context, int out) {
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector b0 = a0;
    FloatVector b1 = a0;
    FloatVector b2 = a0;
    FloatVector b3 = a0;
    int p = first;
    for (; p + 1 <= last; p += 2) {
      int v = base + p * 4 * LANES;
      FloatVector e = FloatVector.broadcast(FLOATS, scores[at + p]);
      FloatVector f = FloatVector.broadcast(FLOATS, scores[at + p + 1]);
      a0 = FloatVector.fromArray(FLOATS, values, v).fma(e, a0);
      a1 = FloatVector.fromArray(FLOATS, values, v + LANES).fma(e, a1);
      a2 = FloatVector.fromArray(FLOATS, values, v + 2 * LANES).fma(e, a2);
      a3 = FloatVector.fromArray(FLOATS, values, v + 3 * LANES).fma(e, a3);
      b0 = FloatVector.fromArray(FLOATS, values, v + 4 * LANES).fma(f, b0);
      b1 = FloatVector.fromArray(FLOATS, values, v + 5 * LANES).fma(f, b1);
      b2 = FloatVector.fromArray(FLOATS, values, v + 6 * LANES).fma(f, b2);
      b3 = FloatVector.fromArray(FLOATS, values, v + 7 * LANES).fma(f, b3);
    }
    if (p <= last) {
      int v = base + p * 4 * LANES;
      FloatVector e = FloatVector.broadcast(FLOATS, scores[at + p]);
      a0 = FloatVector.fromArray(FLOATS, values, v).fma(e, a0);
      a1 = FloatVector.fromArray(FLOATS, values, v + LANES).fma(e, a1);
      a2 = FloatVector.fromArray(FLOATS, values, v + 2 * LANES).fma(e, a2);
      a3 = FloatVector.fromArray(FLOATS, values, v + 3 * LANES).fma(e, a3);
    }
    a0 = a0.add(b0);
    a1 = a1.add(b1);
    a2 = a2.add(b2);
    a3 = a3.add(b3);
    a0.mul(inverse).intoArray(context, out);
    a1.mul(inverse).intoArray(context, out + LANES);
    a2.mul(inverse).intoArray(context, out + 2 * LANES);
    a3.mul(inverse).intoArray(context, out + 3 * LANES);
  }

  /**
   * {@link #weightedSum4} for two queries A and B over the same values, A's positions ending no
   * later than B's: each value vector is loaded once for both while both need it (the one-query
   * sum is bound by reading the values from the L2 cache). Each query keeps its own even and odd
   * accumulators in the one-query order, B going on alone past A's last position with the same
   * pairing, so each gets {@link #weightedSum4}'s bits.
   */
  private static void weightedSum4Pair(float[] values, int base, int first, int lastA, int lastB,
      float[] scores, int atA, int atB, float inverseA, float inverseB, float[] context, int outA,
      int outB) {
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector b0 = a0;
    FloatVector b1 = a0;
    FloatVector b2 = a0;
    FloatVector b3 = a0;
    FloatVector c0 = a0;
    FloatVector c1 = a0;
    FloatVector c2 = a0;
    FloatVector c3 = a0;
    FloatVector d0 = a0;
    FloatVector d1 = a0;
    FloatVector d2 = a0;
    FloatVector d3 = a0;
    int p = first;
    for (; p + 1 <= lastA; p += 2) {
      int v = base + p * 4 * LANES;
      FloatVector e = FloatVector.broadcast(FLOATS, scores[atA + p]);
      FloatVector f = FloatVector.broadcast(FLOATS, scores[atA + p + 1]);
      FloatVector g = FloatVector.broadcast(FLOATS, scores[atB + p]);
      FloatVector h = FloatVector.broadcast(FLOATS, scores[atB + p + 1]);
      FloatVector x = FloatVector.fromArray(FLOATS, values, v);
      a0 = x.fma(e, a0);
      c0 = x.fma(g, c0);
      x = FloatVector.fromArray(FLOATS, values, v + LANES);
      a1 = x.fma(e, a1);
      c1 = x.fma(g, c1);
      x = FloatVector.fromArray(FLOATS, values, v + 2 * LANES);
      a2 = x.fma(e, a2);
      c2 = x.fma(g, c2);
      x = FloatVector.fromArray(FLOATS, values, v + 3 * LANES);
      a3 = x.fma(e, a3);
      c3 = x.fma(g, c3);
      x = FloatVector.fromArray(FLOATS, values, v + 4 * LANES);
      b0 = x.fma(f, b0);
      d0 = x.fma(h, d0);
      x = FloatVector.fromArray(FLOATS, values, v + 5 * LANES);
      b1 = x.fma(f, b1);
      d1 = x.fma(h, d1);
      x = FloatVector.fromArray(FLOATS, values, v + 6 * LANES);
      b2 = x.fma(f, b2);
      d2 = x.fma(h, d2);
      x = FloatVector.fromArray(FLOATS, values, v + 7 * LANES);
      b3 = x.fma(f, b3);
      d3 = x.fma(h, d3);
    }
    if (p <= lastA) {
      int v = base + p * 4 * LANES;
      FloatVector e = FloatVector.broadcast(FLOATS, scores[atA + p]);
      a0 = FloatVector.fromArray(FLOATS, values, v).fma(e, a0);
      a1 = FloatVector.fromArray(FLOATS, values, v + LANES).fma(e, a1);
      a2 = FloatVector.fromArray(FLOATS, values, v + 2 * LANES).fma(e, a2);
      a3 = FloatVector.fromArray(FLOATS, values, v + 3 * LANES).fma(e, a3);
    }
    a0.add(b0).mul(inverseA).intoArray(context, outA);
    a1.add(b1).mul(inverseA).intoArray(context, outA + LANES);
    a2.add(b2).mul(inverseA).intoArray(context, outA + 2 * LANES);
    a3.add(b3).mul(inverseA).intoArray(context, outA + 3 * LANES);
    for (; p + 1 <= lastB; p += 2) {
      int v = base + p * 4 * LANES;
      FloatVector g = FloatVector.broadcast(FLOATS, scores[atB + p]);
      FloatVector h = FloatVector.broadcast(FLOATS, scores[atB + p + 1]);
      c0 = FloatVector.fromArray(FLOATS, values, v).fma(g, c0);
      c1 = FloatVector.fromArray(FLOATS, values, v + LANES).fma(g, c1);
      c2 = FloatVector.fromArray(FLOATS, values, v + 2 * LANES).fma(g, c2);
      c3 = FloatVector.fromArray(FLOATS, values, v + 3 * LANES).fma(g, c3);
      d0 = FloatVector.fromArray(FLOATS, values, v + 4 * LANES).fma(h, d0);
      d1 = FloatVector.fromArray(FLOATS, values, v + 5 * LANES).fma(h, d1);
      d2 = FloatVector.fromArray(FLOATS, values, v + 6 * LANES).fma(h, d2);
      d3 = FloatVector.fromArray(FLOATS, values, v + 7 * LANES).fma(h, d3);
    }
    if (p <= lastB) {
      int v = base + p * 4 * LANES;
      FloatVector g = FloatVector.broadcast(FLOATS, scores[atB + p]);
      c0 = FloatVector.fromArray(FLOATS, values, v).fma(g, c0);
      c1 = FloatVector.fromArray(FLOATS, values, v + LANES).fma(g, c1);
      c2 = FloatVector.fromArray(FLOATS, values, v + 2 * LANES).fma(g, c2);
      c3 = FloatVector.fromArray(FLOATS, values, v + 3 * LANES).fma(g, c3);
    }
    c0.add(d0).mul(inverseB).intoArray(context, outB);
    c1.add(d1).mul(inverseB).intoArray(context, outB + LANES);
    c2.add(d2).mul(inverseB).intoArray(context, outB + 2 * LANES);
    c3.add(d3).mul(inverseB).intoArray(context, outB + 3 * LANES);
  }

  /**
   * As {@link #weightedSum4} for any width, accumulating in context; the columns past the last
   * whole vector take {@code Math.fma}, the same operation per element.
   */
  private static void weightedSum(float[] values, int base, int width, int first, int last,
      float[] scores, int at, float inverse, float[] context, int out) {
    int whole = width - width % LANES;
    Arrays.fill(context, out, out + width, 0f);
    for (int p = first; p <= last; p++) {
      int value = base + p * width;
      float weight = scores[at + p];
      FloatVector e = FloatVector.broadcast(FLOATS, weight);
      for (int i = 0; i < whole; i += LANES) {
        FloatVector.fromArray(FLOATS, values, value + i)
            .fma(e, FloatVector.fromArray(FLOATS, context, out + i)).intoArray(context, out + i);
      }
      for (int i = whole; i < width; i++) {
        context[out + i] = Math.fma(values[value + i], weight, context[out + i]);
      }
    }
    for (int i = 0; i < width; i++) {
      context[out + i] *= inverse;
    }
  }
}
