package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;

/**
 * The GPT-2 forward pass in plain Java on the CPU, multi-threaded over output columns.
 *
 * <p>Why it exists: decoding one token is a matrix-vector product per weight, bound by memory
 * bandwidth. DJL's graph pays about 5 ms of per-operator overhead per token on top of that (see
 * docs/benchmarks.md); these loops stream each weight once per token with no framework in
 * between. DJL stays the engine for GPUs and the cross-check in the tests.
 */
public final class JavaGptRuntime implements GptRuntime {

  private final GptWeights weights;
  private final GptConfig config;
  private final WorkerPool pool;
  private final float[] lmHeadByColumn; // [width, vocab]: the LM head transposed, so unembedding vectorizes
  private final float[] noBias; // [vocab] zeros: the LM head has no bias

  /**
   * @param weights the checkpoint's weights; they are used in place, not copied
   * @param threads the kernel threads, at least 1
   */
  public JavaGptRuntime(GptWeights weights, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.config = weights.config();
    this.lmHeadByColumn = transpose(weights.lmHead(), config.vocabularySize(), config.width());
    // With a tied head the row-major embedding is not kept: lookups read the transposed copy.
    this.weights = weights.lmHead() == weights.tokenEmbedding()
        ? new GptWeights(config, new float[0], weights.positionEmbedding(), weights.layers(),
            weights.finalNormWeight(), weights.finalNormBias(), new float[0])
        : weights;
    this.noBias = new float[config.vocabularySize()];
    this.pool = new WorkerPool(threads);
  }

  /** Returns [columns, rows] from [rows, columns], in cache-sized blocks. */
  private static float[] transpose(float[] matrix, int rows, int columns) {
    float[] result = new float[matrix.length];
    int block = 64;
    for (int r0 = 0; r0 < rows; r0 += block) {
      for (int c0 = 0; c0 < columns; c0 += block) {
        for (int r = r0; r < Math.min(rows, r0 + block); r++) {
          for (int c = c0; c < Math.min(columns, c0 + block); c++) {
            result[c * rows + r] = matrix[r * columns + c];
          }
        }
      }
    }
    return result;
  }

  private float tokenEmbedding(int token, int i) {
    return weights.tokenEmbedding().length == 0
        ? lmHeadByColumn[i * config.vocabularySize() + token]
        : weights.tokenEmbedding()[token * config.width() + i];
  }

  @Override
  public GptConfig config() {
    return config;
  }

  @Override
  public GptSequence newSequence(int capacity) {
    if (capacity < 1 || capacity > config.contextLength()) {
      throw new IllegalArgumentException("capacity must be 1 to " + config.contextLength() + ", was " + capacity);
    }
    return new Sequence(capacity);
  }

  @Override
  public String description() {
    return "java-cpu, " + pool.threads() + " thread" + (pool.threads() == 1 ? "" : "s");
  }

  @Override
  public void close() {
    pool.close();
  }

  private void parallelLinear(float[] x, int rows, int in, float[] weight, float[] bias, int out, float[] result) {
    int parts = pool.threads();
    int chunk = ((out + parts - 1) / parts + 7) / 8 * 8;
    pool.forEachPart(p -> {
      int from = Math.min(out, p * chunk);
      int to = Math.min(out, from + chunk);
      if (from < to) {
        Kernels.linear(x, rows, in, weight, bias, out, result, from, to);
      }
    });
  }

  /** A sequence: the KV cache of every layer plus scratch buffers. */
  private final class Sequence implements GptSequence {
    private final int capacity;
    private final float[][] keys; // per layer: [heads, capacity, headWidth]
    private final float[][] values; // per layer: [heads, capacity, headWidth]
    private int length;

    Sequence(int capacity) {
      this.capacity = capacity;
      int size = config.headCount() * capacity * config.headWidth();
      this.keys = new float[config.layerCount()][size];
      this.values = new float[config.layerCount()][size];
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void close() {
      // Heap arrays: nothing to release.
    }

    @Override
    public float[] append(int[] tokens) {
      int rows = tokens.length;
      if (rows == 0 || length + rows > capacity) {
        throw new IllegalStateException("cannot append " + rows + " tokens to a sequence of " + length
            + " with capacity " + capacity);
      }
      int width = config.width();
      int inner = config.innerWidth();
      float[] residual = new float[rows * width]; // [rows, width]
      for (int t = 0; t < rows; t++) {
        int token = tokens[t];
        if (token < 0 || token >= config.vocabularySize()) {
          throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + config.vocabularySize());
        }
        int position = length + t;
        for (int i = 0; i < width; i++) {
          residual[t * width + i] = tokenEmbedding(token, i) + weights.positionEmbedding()[position * width + i];
        }
      }
      float[] normed = new float[rows * width]; // [rows, width]
      float[] qkv = new float[rows * 3 * width]; // [rows, 3 * width]: q, k, v
      float[] context = new float[rows * width]; // [rows, width]
      float[] projected = new float[rows * width]; // [rows, width]
      float[] hidden = new float[rows * inner]; // [rows, inner]
      for (int layer = 0; layer < config.layerCount(); layer++) {
        GptWeights.Layer w = weights.layers().get(layer);
        Kernels.layerNorm(residual, rows, width, w.norm1Weight(), w.norm1Bias(), config.layerNormEpsilon(), normed);
        parallelLinear(normed, rows, width, w.qkvWeight(), w.qkvBias(), 3 * width, qkv);
        storeKeysAndValues(layer, qkv, rows);
        attend(layer, qkv, rows, context);
        parallelLinear(context, rows, width, w.attentionOutWeight(), w.attentionOutBias(), width, projected);
        Kernels.addInPlace(residual, projected, rows * width);
        Kernels.layerNorm(residual, rows, width, w.norm2Weight(), w.norm2Bias(), config.layerNormEpsilon(), normed);
        parallelLinear(normed, rows, width, w.mlpInWeight(), w.mlpInBias(), inner, hidden);
        Kernels.geluTanh(hidden, 0, rows * inner);
        parallelLinear(hidden, rows, inner, w.mlpOutWeight(), w.mlpOutBias(), width, projected);
        Kernels.addInPlace(residual, projected, rows * width);
      }
      length += rows;
      float[] last = new float[width]; // [width]: the final norm of the last row only
      System.arraycopy(residual, (rows - 1) * width, last, 0, width);
      Kernels.layerNorm(last, 1, width, weights.finalNormWeight(), weights.finalNormBias(), config.layerNormEpsilon(), last);
      int vocabulary = config.vocabularySize();
      float[] logits = new float[vocabulary]; // [vocab]
      parallelLinear(last, 1, width, lmHeadByColumn, noBias, vocabulary, logits);
      return logits;
    }

    private void storeKeysAndValues(int layer, float[] qkv, int rows) {
      int width = config.width();
      int headWidth = config.headWidth();
      for (int t = 0; t < rows; t++) {
        int position = length + t;
        for (int head = 0; head < config.headCount(); head++) {
          int cacheOffset = (head * capacity + position) * headWidth;
          System.arraycopy(qkv, t * 3 * width + width + head * headWidth, keys[layer], cacheOffset, headWidth);
          System.arraycopy(qkv, t * 3 * width + 2 * width + head * headWidth, values[layer], cacheOffset, headWidth);
        }
      }
    }

    private void attend(int layer, float[] qkv, int rows, float[] context) {
      int heads = config.headCount();
      int parts = pool.threads();
      int perPart = (heads + parts - 1) / parts;
      pool.forEachPart(p -> {
        float[] scores = new float[length + rows]; // [positions]
        for (int head = p * perPart; head < Math.min(heads, (p + 1) * perPart); head++) {
          for (int t = 0; t < rows; t++) {
            attendOneHead(layer, qkv, head, t, scores, context);
          }
        }
      });
    }

    private void attendOneHead(int layer, float[] qkv, int head, int t, float[] scores, float[] context) {
      int width = config.width();
      int headWidth = config.headWidth();
      int query = t * 3 * width + head * headWidth;
      int visible = length + t + 1; // causal: positions up to this token's own
      float scale = (float) (1.0 / Math.sqrt(headWidth));
      float[] keyCache = keys[layer];
      float max = Float.NEGATIVE_INFINITY;
      for (int s = 0; s < visible; s++) {
        int key = (head * capacity + s) * headWidth;
        float dot = 0;
        for (int d = 0; d < headWidth; d++) {
          dot += qkv[query + d] * keyCache[key + d];
        }
        scores[s] = dot * scale;
        max = Math.max(max, scores[s]);
      }
      float sum = 0;
      for (int s = 0; s < visible; s++) {
        scores[s] = (float) Math.exp(scores[s] - max);
        sum += scores[s];
      }
      int out = t * width + head * headWidth;
      java.util.Arrays.fill(context, out, out + headWidth, 0f);
      float[] valueCache = values[layer];
      for (int s = 0; s < visible; s++) {
        float weight = scores[s] / sum;
        int value = (head * capacity + s) * headWidth;
        for (int d = 0; d < headWidth; d++) {
          context[out + d] += weight * valueCache[value + d];
        }
      }
    }
  }
}
