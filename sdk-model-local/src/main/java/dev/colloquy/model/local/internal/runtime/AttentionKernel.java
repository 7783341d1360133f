package dev.colloquy.model.local.internal.runtime;

import java.util.Arrays;

/**
 * One query's attention over one head's cached keys and values: the scores {@code scale * q · k_p}
 * for positions p in [first, last], their softmax, and the softmax-weighted sum of the values.
 * Implementations are stateless and thread-safe, and give a query the same bits whatever the
 * thread, the step or the other rows, so results stay independent of batching and thread count.
 *
 * <p>The cache layout is this interface's: a head's values are position-major ({@code width} floats
 * per position), and its keys come in blocks of {@link #KEY_BLOCK} positions, dimension-major
 * within a block ({@link #keyIndex}). Why: a block's scores are then whole vectors, each lane one
 * position's dot product, so no lanes are ever added across; with position-major keys every score
 * ended in a horizontal sum, which cost more than its multiply-adds.
 */
interface AttentionKernel {

  /** Positions per block of the key layout; a multiple of every vector length the kernels use. */
  int KEY_BLOCK = 16;

  /** The positions a head's cache holds for a capacity: whole key blocks. */
  static int cachedPositions(int capacity) {
    return Math.addExact(capacity, KEY_BLOCK - 1) / KEY_BLOCK * KEY_BLOCK;
  }

  /** Where dimension d of position p's key lies, for a head whose keys start at {@code base}. */
  static int keyIndex(int base, int width, int p, int d) {
    return base + (p / KEY_BLOCK) * KEY_BLOCK * width + d * KEY_BLOCK + p % KEY_BLOCK;
  }

  /**
   * Stores {@code key[at, at + width)} as position p's key of the head starting at {@code base}.
   */
  static void storeKey(float[] key, int at, float[] keys, int base, int width, int p) {
    int to = keyIndex(base, width, p, 0);
    for (int d = 0; d < width; d++) {
      keys[to + d * KEY_BLOCK] = key[at + d];
    }
  }

  /**
   * The floats from a head's start that hold the keys (or values) of its first {@code positions}
   * positions, in whole key blocks, for copying a prefix.
   */
  static int prefixFloats(int positions, int width) {
    return cachedPositions(positions) * width;
  }

  /**
   * The plain kernel's sixteen dot products of one key block, side by side in locals (sixteen
   * independent chains; an array accumulator made C2 store and reload every sum).
   */
  private static void blockScores(
      float[] q, int qAt, float[] keys, int key, int width, float[] scores, int at) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    float s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
    for (int d = 0; d < width; d++) {
      float qd = q[qAt + d];
      int k = key + d * KEY_BLOCK;
      s0 += qd * keys[k];
      s1 += qd * keys[k + 1];
      s2 += qd * keys[k + 2];
      s3 += qd * keys[k + 3];
      s4 += qd * keys[k + 4];
      s5 += qd * keys[k + 5];
      s6 += qd * keys[k + 6];
      s7 += qd * keys[k + 7];
      s8 += qd * keys[k + 8];
      s9 += qd * keys[k + 9];
      s10 += qd * keys[k + 10];
      s11 += qd * keys[k + 11];
      s12 += qd * keys[k + 12];
      s13 += qd * keys[k + 13];
      s14 += qd * keys[k + 14];
      s15 += qd * keys[k + 15];
    }
    scores[at] = s0;
    scores[at + 1] = s1;
    scores[at + 2] = s2;
    scores[at + 3] = s3;
    scores[at + 4] = s4;
    scores[at + 5] = s5;
    scores[at + 6] = s6;
    scores[at + 7] = s7;
    scores[at + 8] = s8;
    scores[at + 9] = s9;
    scores[at + 10] = s10;
    scores[at + 11] = s11;
    scores[at + 12] = s12;
    scores[at + 13] = s13;
    scores[at + 14] = s14;
    scores[at + 15] = s15;
  }

  /**
   * Writes {@code context[out, out + width)}; the query is {@code q[qAt, qAt + width)}, the head's
   * keys and values start at {@code base} of {@code keys} and {@code values} in this interface's
   * layout; {@code scores} is scratch of at least {@code cachedPositions(last + 1)} values.
   */
  void attend(
      float[] q,
      int qAt,
      float[] keys,
      float[] values,
      int base,
      int width,
      int first,
      int last,
      float scale,
      float[] scores,
      float[] context,
      int out);

  /**
   * {@link #attend} for {@code count} queries over the same head and the same first position, each
   * getting exactly the bits {@code attend} gives it: query i is {@code q[qAt + i * qStride, +
   * width)}, its last position {@code last + i * lastStep} (1 for a prompt's consecutive rows, 0
   * for the query heads that share a key/value head), its context {@code context[out + i *
   * outStride, + width)}. {@code scores} is scratch of at least {@code count * cachedPositions(last
   * + (count - 1) * lastStep + 1)} values. Why: a kernel may then read each cached key (and value)
   * once for several of the queries.
   */
  default void attendMany(
      float[] q,
      int qAt,
      int qStride,
      int count,
      float[] keys,
      float[] values,
      int base,
      int width,
      int first,
      int last,
      int lastStep,
      float scale,
      float[] scores,
      float[] context,
      int out,
      int outStride) {
    for (int i = 0; i < count; i++) {
      attend(
          q,
          qAt + i * qStride,
          keys,
          values,
          base,
          width,
          first,
          last + i * lastStep,
          scale,
          scores,
          context,
          out + i * outStride);
    }
  }

  /** A short name for logs and benchmarks. */
  String name();

  /**
   * The plain-Java kernel: a block's sixteen scores accumulate side by side over the dimensions,
   * then {@code Math.exp} and a scalar weighted sum.
   */
  AttentionKernel SCALAR =
      new AttentionKernel() {
        @Override
        public void attend(
            float[] q,
            int qAt,
            float[] keys,
            float[] values,
            int base,
            int width,
            int first,
            int last,
            float scale,
            float[] scores,
            float[] context,
            int out) {
          int from = first - first % KEY_BLOCK;
          for (int block = from; block <= last; block += KEY_BLOCK) {
            blockScores(q, qAt, keys, keyIndex(base, width, block, 0), width, scores, block);
          }
          float max = Float.NEGATIVE_INFINITY;
          for (int p = first; p <= last; p++) {
            scores[p] *= scale;
            max = Math.max(max, scores[p]);
          }
          float sum = 0;
          for (int p = first; p <= last; p++) {
            scores[p] = (float) Math.exp(scores[p] - max);
            sum += scores[p];
          }
          Arrays.fill(context, out, out + width, 0f);
          for (int p = first; p <= last; p++) {
            float weight = scores[p] / sum;
            int value = base + p * width;
            for (int d = 0; d < width; d++) {
              context[out + d] += weight * values[value + d];
            }
          }
        }

        @Override
        public String name() {
          return "scalar";
        }
      };
}
