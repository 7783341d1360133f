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

  /** A short name for logs and benchmarks. */
  String name();

  /**
   * The plain-Java kernel: a block's sixteen scores accumulate side by side over the dimensions (a
   * loop C2 can vectorize), then {@code Math.exp} and a scalar weighted sum.
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
            Arrays.fill(scores, block, block + KEY_BLOCK, 0f);
            int key = keyIndex(base, width, block, 0);
            for (int d = 0; d < width; d++) {
              float qd = q[qAt + d];
              int k = key + d * KEY_BLOCK;
              for (int j = 0; j < KEY_BLOCK; j++) {
                scores[block + j] += qd * keys[k + j];
              }
            }
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
