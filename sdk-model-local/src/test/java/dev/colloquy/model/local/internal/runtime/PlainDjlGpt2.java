package dev.colloquy.model.local.internal.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * The speed reference of {@link DjlDecodeBenchmark}, not part of the engine: GPT-2 written the way
 * a DJL user would write it first, with nothing tuned. Weights uploaded once; a KV cache that grows
 * by concatenation; one child manager per step. Batch 1, CPU.
 */
final class PlainDjlGpt2 implements AutoCloseable {

  private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

  private final GptConfig config;
  private final NDManager manager;
  private final NDArray tokenEmbedding; // [vocab, width]
  private final NDArray positionEmbedding; // [context, width]
  private final NDArray lmHead; // [width, vocab] (transposed view)
  private final NDArray finalNormWeight;
  private final NDArray finalNormBias;
  private final List<NDArray[]> layers = new ArrayList<>(); // GptWeights.Layer's order

  PlainDjlGpt2(GptWeights weights) {
    this.config = weights.config();
    this.manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    int width = config.width();
    int inner = config.innerWidth();
    tokenEmbedding = upload(weights.tokenEmbedding(), config.vocabularySize(), width);
    positionEmbedding = upload(weights.positionEmbedding(), config.contextLength(), width);
    lmHead =
        (weights.lmHead() == weights.tokenEmbedding()
                ? tokenEmbedding
                : upload(weights.lmHead(), config.vocabularySize(), width))
            .transpose();
    finalNormWeight = upload(weights.finalNormWeight(), width);
    finalNormBias = upload(weights.finalNormBias(), width);
    for (GptWeights.Layer w : weights.layers()) {
      layers.add(
          new NDArray[] {
            upload(w.norm1Weight(), width),
            upload(w.norm1Bias(), width),
            upload(w.qkvWeight(), width, 3L * width),
            upload(w.qkvBias(), 3L * width),
            upload(w.attentionOutWeight(), width, width),
            upload(w.attentionOutBias(), width),
            upload(w.norm2Weight(), width),
            upload(w.norm2Bias(), width),
            upload(w.mlpInWeight(), width, inner),
            upload(w.mlpInBias(), inner),
            upload(w.mlpOutWeight(), inner, width),
            upload(w.mlpOutBias(), width)
          });
    }
  }

  private NDArray upload(float[] values, long... shape) {
    return manager.create(values, new Shape(shape));
  }

  /** A new, empty sequence. */
  Sequence newSequence() {
    return new Sequence();
  }

  @Override
  public void close() {
    manager.close();
  }

  /** One sequence: per layer, keys and values [heads, positions, headWidth] grown by concat. */
  final class Sequence implements AutoCloseable {
    private final NDManager cache = manager.newSubManager();
    private final NDArray[] keys = new NDArray[config.layerCount()];
    private final NDArray[] values = new NDArray[config.layerCount()];
    private int length;

    /** Runs the tokens after the cached ones; returns the logits after the last. */
    float[] append(int[] tokens) {
      int rows = tokens.length;
      int heads = config.headCount();
      int headWidth = config.headWidth();
      int width = config.width();
      try (NDManager step = cache.newSubManager()) {
        NDArray ids = step.create(tokens);
        NDArray x =
            tokenEmbedding
                .get(step, new NDIndex("{}", ids))
                .add(positionEmbedding.get(step, new NDIndex("{}:{}", length, length + rows)));
        NDArray mask = rows == 1 ? null : causalMask(step, rows, length); // [rows, length + rows]
        for (int l = 0; l < layers.size(); l++) {
          NDArray[] w = layers.get(l);
          NDArray h = norm(x, w[0], w[1]);
          NDList qkv = h.matMul(w[2]).add(w[3]).split(3, 1); // 3 × [rows, width]
          NDArray q = qkv.get(0).reshape(rows, heads, headWidth).transpose(1, 0, 2);
          NDArray k = qkv.get(1).reshape(rows, heads, headWidth).transpose(1, 0, 2);
          NDArray v = qkv.get(2).reshape(rows, heads, headWidth).transpose(1, 0, 2);
          keys[l] = grow(keys[l], k);
          values[l] = grow(values[l], v);
          NDArray scores = q.matMul(keys[l].transpose(0, 2, 1)).div((float) Math.sqrt(headWidth));
          if (mask != null) {
            scores = scores.add(mask);
          }
          NDArray context =
              scores.softmax(-1).matMul(values[l]).transpose(1, 0, 2).reshape(rows, width);
          x = x.add(context.matMul(w[4]).add(w[5]));
          NDArray hidden = norm(x, w[6], w[7]).matMul(w[8]).add(w[9]);
          NDArray gelu =
              hidden
                  .mul(0.5f)
                  .mul(hidden.add(hidden.pow(3).mul(0.044715f)).mul(GELU_SCALE).tanh().add(1f));
          x = x.add(gelu.matMul(w[10]).add(w[11]));
        }
        NDArray last = x.get(new NDIndex("{}:", rows - 1));
        float[] logits = norm(last, finalNormWeight, finalNormBias).matMul(lmHead).toFloatArray();
        length += rows;
        return logits;
      }
    }

    private NDArray grow(NDArray cached, NDArray fresh) {
      NDArray grown = cached == null ? fresh.duplicate() : cached.concat(fresh, 1);
      grown.attach(cache);
      if (cached != null) {
        cached.close();
      }
      return grown;
    }

    private NDArray norm(NDArray x, NDArray weight, NDArray bias) {
      return LayerNorm.layerNorm(
              x, new Shape(config.width()), weight, bias, config.layerNormEpsilon())
          .head();
    }

    private NDArray causalMask(NDManager step, int rows, int offset) {
      int end = offset + rows;
      float[] mask = new float[rows * end];
      for (int t = 0; t < rows; t++) {
        for (int s = offset + t + 1; s < end; s++) {
          mask[t * end + s] = -1e9f;
        }
      }
      return step.create(mask, new Shape(rows, end));
    }

    @Override
    public void close() {
      cache.close();
    }
  }
}
