package dev.colloquy.model.local.internal.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;

/**
 * The GPT-2 graph as DJL array operations: the model definition the trainer runs (whole sequences,
 * causal mask, autograd). Every operation is differentiable on the PyTorch engine. Shapes carry a
 * leading batch dimension B; T is the number of new positions and S the number of visible
 * positions. {@link DjlGptRuntime} computes the same function a step at a time with a KV cache, in
 * fewer, fused operations on the same {@link GptParameters} (DjlGptRuntimeTest checks they agree).
 */
public final class GptLayers {

  private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

  private GptLayers() {}

  /** Token plus position embedding of ids [B, T] at positions offset…offset+T-1: [B, T, width]. */
  public static NDArray embed(GptParameters p, NDArray ids, int offset) {
    int length = Math.toIntExact(ids.getShape().get(1));
    return p.tokenEmbedding()
        .get(new NDIndex("{}", ids))
        .add(p.positionEmbedding().get(new NDIndex("{}:{}", offset, offset + length)));
  }

  /** Layer norm over the last axis. */
  public static NDArray layerNorm(GptConfig config, NDArray x, NDArray weight, NDArray bias) {
    return LayerNorm.layerNorm(
            x, new Shape(config.width()), weight, bias, config.layerNormEpsilon())
        .head();
  }

  /**
   * The block's first norm and query/key/value projection of x [B, T, width].
   *
   * @return query, key and value, each [B, heads, T, headWidth]
   */
  public static NDList queryKeyValue(GptConfig config, GptParameters.Layer layer, NDArray x) {
    long batch = x.getShape().get(0);
    long rows = x.getShape().get(1);
    NDArray h = layerNorm(config, x, layer.norm1Weight(), layer.norm1Bias());
    NDList qkv = h.matMul(layer.qkvWeight()).add(layer.qkvBias()).split(3, 2); // 3 × [B, T, width]
    NDList heads = new NDList(3);
    for (NDArray part : qkv) {
      heads.add(
          part.reshape(batch, rows, config.headCount(), config.headWidth()).transpose(0, 2, 1, 3));
    }
    return heads;
  }

  /**
   * Scaled dot-product attention, merged back to [B, T, width].
   *
   * @param query [B, heads, T, headWidth]
   * @param keys [B, heads, S, headWidth]
   * @param values [B, heads, S, headWidth]
   * @param mask additive [T, S] (0 or -1e9), or null when every key is visible
   */
  public static NDArray attend(
      GptConfig config, NDArray query, NDArray keys, NDArray values, NDArray mask) {
    NDArray scores =
        query
            .matMul(keys.transpose(0, 1, 3, 2))
            .div((float) Math.sqrt(config.headWidth())); // [B, heads, T, S]
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray context = scores.softmax(-1).matMul(values); // [B, heads, T, headWidth]
    long batch = context.getShape().get(0);
    long rows = context.getShape().get(2);
    return context.transpose(0, 2, 1, 3).reshape(batch, rows, config.width());
  }

  /** The residual after attention: x + context·W_out + b_out. */
  public static NDArray attentionResidual(GptParameters.Layer layer, NDArray x, NDArray context) {
    return x.add(attentionOutput(layer, context));
  }

  private static NDArray attentionOutput(GptParameters.Layer layer, NDArray context) {
    return context.matMul(layer.attentionOutWeight()).add(layer.attentionOutBias());
  }

  /** The block's second half: x + MLP(norm2(x)) with the tanh GELU. */
  public static NDArray mlpResidual(GptConfig config, GptParameters.Layer layer, NDArray x) {
    return x.add(mlpOutput(config, layer, x));
  }

  private static NDArray mlpOutput(GptConfig config, GptParameters.Layer layer, NDArray x) {
    NDArray h = layerNorm(config, x, layer.norm2Weight(), layer.norm2Bias());
    NDArray hidden = h.matMul(layer.mlpInWeight()).add(layer.mlpInBias()); // [B, T, inner]
    return geluTanh(hidden).matMul(layer.mlpOutWeight()).add(layer.mlpOutBias());
  }

  /** Final norm and LM head: x [B, T, width] to logits [B, T, vocab]. */
  public static NDArray logits(GptParameters p, NDArray x) {
    return layerNorm(p.config(), x, p.finalNormWeight(), p.finalNormBias())
        .matMul(p.lmHead().transpose());
  }

  /**
   * The causal mask [T, S] for T new positions after {@code offset} earlier ones (S = offset + T).
   * Hidden keys get -1e9, not -infinity: the softmax gives them exactly 0 either way, but an
   * infinity can turn into NaN in the backward pass.
   */
  public static NDArray causalMask(NDManager manager, int rows, int offset) {
    int end = offset + rows;
    float[] mask = new float[rows * end];
    for (int t = 0; t < rows; t++) {
      for (int s = offset + t + 1; s < end; s++) {
        mask[t * end + s] = -1e9f;
      }
    }
    return manager.create(mask, new Shape(rows, end));
  }

  /**
   * The whole forward pass over ids [B, T] from position 0 (training and scoring).
   *
   * @return logits [B, T, vocab]
   */
  public static NDArray forward(GptParameters p, NDArray ids) {
    return forward(p, ids, 0f);
  }

  /**
   * The forward pass for training, with GPT-2's dropout on the embeddings and on each residual
   * branch (the engine's random generator draws the masks; 0 turns it off).
   *
   * @return logits [B, T, vocab]
   */
  public static NDArray forward(GptParameters p, NDArray ids, float dropout) {
    GptConfig config = p.config();
    int rows = Math.toIntExact(ids.getShape().get(1));
    NDArray x = drop(embed(p, ids, 0), dropout); // [B, T, width]
    NDArray mask = causalMask(ids.getManager(), rows, 0);
    for (GptParameters.Layer layer : p.layers()) {
      NDList qkv = queryKeyValue(config, layer, x);
      x =
          x.add(
              drop(
                  attentionOutput(layer, attend(config, qkv.get(0), qkv.get(1), qkv.get(2), mask)),
                  dropout));
      x = x.add(drop(mlpOutput(config, layer, x), dropout));
    }
    return logits(p, x);
  }

  private static NDArray drop(NDArray x, float rate) {
    return rate > 0 ? Dropout.dropout(x, rate, true).head() : x;
  }

  private static NDArray geluTanh(NDArray x) {
    NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul(GELU_SCALE).tanh();
    return x.mul(0.5f).mul(inner.add(1f));
  }
}
