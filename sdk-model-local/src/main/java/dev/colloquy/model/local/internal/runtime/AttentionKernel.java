package dev.colloquy.model.local.internal.runtime;

import java.util.Arrays;

/**
 * One query's attention over one head's cached keys and values: the scores {@code scale * q · k_p}
 * for positions p in [first, last], their softmax, and the softmax-weighted sum of the values.
 * Implementations are stateless and thread-safe, and give a query the same bits whatever the
 * thread, the step or the other rows, so results stay independent of batching and thread count.
 */
interface AttentionKernel {

  /**
   * Writes {@code context[out, out + width)}; the query is {@code q[qAt, qAt + width)}, position
   * p's key and value are at {@code base + p * width} of {@code keys} and {@code values}; {@code
   * scores} is scratch of at least {@code last + 1} values.
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

  /** The plain-Java kernel: {@link Kernels#dot}, {@code Math.exp} and a scalar weighted sum. */
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
          float max = Float.NEGATIVE_INFINITY;
          for (int p = first; p <= last; p++) {
            scores[p] = Kernels.dot(q, qAt, keys, base + p * width, width) * scale;
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
