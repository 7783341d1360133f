package dev.colloquy.model.local.internal.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link AttentionKernel} (Java 21+, 256-bit vectors), for head widths that are
 * whole vectors (64, 96, 128, ...); other widths take the plain kernel.
 *
 * <p>Why: a conversation's later turns attend each new row over every cached position, and the
 * plain kernel spent about 48 ns of CPU per row and position on a 64-wide head, enough to make
 * GPT-2's tenth turn wait twice as long as its first for its first token. Here a score is two fused
 * multiply-add chains, and the weighted sum of the values keeps a 64-wide context in eight
 * registers and divides by the softmax's sum once, at the end.
 *
 * <p>Every operation gives the same bits whether C2 has compiled it or not, so that a row gets the
 * same result alone or in a step, early or late in the JVM's life: lane sums are plain Java in a
 * fixed order ({@code reduceLanes} may add in another order once compiled), and the exponentials
 * are {@code Math.exp} ({@code VectorOperators.EXP}'s compiled form is another approximation than
 * its interpreted one).
 */
final class VectorAttentionKernel implements AttentionKernel {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final int LANES = 8;

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void attend(float[] q, int qAt, float[] keys, float[] values, int base, int width,
      int first, int last, float scale, float[] scores, float[] context, int out) {
    if (width % LANES != 0) {
      AttentionKernel.SCALAR.attend(q, qAt, keys, values, base, width, first, last, scale, scores,
          context, out);
      return;
    }
    float[] lanes = new float[LANES];
    float max = Float.NEGATIVE_INFINITY;
    for (int p = first; p <= last; p++) {
      scores[p] = dot(q, qAt, keys, base + p * width, width, lanes) * scale;
      max = Math.max(max, scores[p]);
    }
    float sum = 0;
    for (int p = first; p <= last; p++) {
      scores[p] = (float) Math.exp(scores[p] - max);
      sum += scores[p];
    }
    if (width == 8 * LANES) {
      weightedSum8(values, base, first, last, scores, 1 / sum, context, out);
    } else {
      weightedSum(values, base, width, first, last, scores, 1 / sum, context, out);
    }
  }

  /** q · k over a whole number of vectors: chunks alternately into two chains, then lanes. */
  private static float dot(float[] q, int qAt, float[] keys, int key, int width, float[] lanes) {
    FloatVector a = FloatVector.zero(FLOATS);
    FloatVector b = a;
    int i = 0;
    for (; i + 2 * LANES <= width; i += 2 * LANES) {
      a = FloatVector.fromArray(FLOATS, keys, key + i)
          .fma(FloatVector.fromArray(FLOATS, q, qAt + i), a);
      b = FloatVector.fromArray(FLOATS, keys, key + i + LANES)
          .fma(FloatVector.fromArray(FLOATS, q, qAt + i + LANES), b);
    }
    if (i < width) {
      a = FloatVector.fromArray(FLOATS, keys, key + i)
          .fma(FloatVector.fromArray(FLOATS, q, qAt + i), a);
    }
    a.add(b).intoArray(lanes, 0);
    return ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6]))
        + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
  }

  /** context = Σ scores[p] v_p × inverse for a 64-wide head, the context in registers. */
  private static void weightedSum8(float[] values, int base, int first, int last, float[] scores,
      float inverse, float[] context, int out) {
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    FloatVector a6 = a0;
    FloatVector a7 = a0;
    for (int p = first; p <= last; p++) {
      int v = base + p * 8 * LANES;
      FloatVector e = FloatVector.broadcast(FLOATS, scores[p]);
      a0 = FloatVector.fromArray(FLOATS, values, v).fma(e, a0);
      a1 = FloatVector.fromArray(FLOATS, values, v + LANES).fma(e, a1);
      a2 = FloatVector.fromArray(FLOATS, values, v + 2 * LANES).fma(e, a2);
      a3 = FloatVector.fromArray(FLOATS, values, v + 3 * LANES).fma(e, a3);
      a4 = FloatVector.fromArray(FLOATS, values, v + 4 * LANES).fma(e, a4);
      a5 = FloatVector.fromArray(FLOATS, values, v + 5 * LANES).fma(e, a5);
      a6 = FloatVector.fromArray(FLOATS, values, v + 6 * LANES).fma(e, a6);
      a7 = FloatVector.fromArray(FLOATS, values, v + 7 * LANES).fma(e, a7);
    }
    a0.mul(inverse).intoArray(context, out);
    a1.mul(inverse).intoArray(context, out + LANES);
    a2.mul(inverse).intoArray(context, out + 2 * LANES);
    a3.mul(inverse).intoArray(context, out + 3 * LANES);
    a4.mul(inverse).intoArray(context, out + 4 * LANES);
    a5.mul(inverse).intoArray(context, out + 5 * LANES);
    a6.mul(inverse).intoArray(context, out + 6 * LANES);
    a7.mul(inverse).intoArray(context, out + 7 * LANES);
  }

  /** As {@link #weightedSum8} for any whole number of vectors, accumulating in context. */
  private static void weightedSum(float[] values, int base, int width, int first, int last,
      float[] scores, float inverse, float[] context, int out) {
    for (int i = 0; i < width; i += LANES) {
      FloatVector.zero(FLOATS).intoArray(context, out + i);
    }
    for (int p = first; p <= last; p++) {
      int value = base + p * width;
      FloatVector e = FloatVector.broadcast(FLOATS, scores[p]);
      for (int i = 0; i < width; i += LANES) {
        FloatVector.fromArray(FLOATS, values, value + i)
            .fma(e, FloatVector.fromArray(FLOATS, context, out + i)).intoArray(context, out + i);
      }
    }
    for (int i = 0; i < width; i += LANES) {
      FloatVector.fromArray(FLOATS, context, out + i).mul(inverse).intoArray(context, out + i);
    }
  }
}
