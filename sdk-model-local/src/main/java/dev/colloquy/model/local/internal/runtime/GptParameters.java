package dev.colloquy.model.local.internal.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * A GPT-2 checkpoint's weights as DJL arrays on one device: what {@link GptLayers} computes with,
 * for inference ({@link DjlGptRuntime}) and for training alike. The LM head is tied to the token
 * embedding when the checkpoint ties it.
 *
 * @param config the hyper-parameters
 * @param tokenEmbedding [vocab, width]
 * @param positionEmbedding [context, width]
 * @param layers the blocks in order
 * @param finalNormWeight [width]
 * @param finalNormBias [width]
 * @param lmHead [vocab, width]; the same array as the token embedding when tied
 */
public record GptParameters(
    GptConfig config,
    NDArray tokenEmbedding,
    NDArray positionEmbedding,
    List<Layer> layers,
    NDArray finalNormWeight,
    NDArray finalNormBias,
    NDArray lmHead) {

  /** Copies the layer list. */
  public GptParameters {
    layers = List.copyOf(layers);
  }

  /**
   * One block, in the Conv1D layout ({@code [in, out]}).
   *
   * @param norm1Weight [width]
   * @param norm1Bias [width]
   * @param qkvWeight [width, 3 × width]
   * @param qkvBias [3 × width]
   * @param attentionOutWeight [width, width]
   * @param attentionOutBias [width]
   * @param norm2Weight [width]
   * @param norm2Bias [width]
   * @param mlpInWeight [width, inner]
   * @param mlpInBias [inner]
   * @param mlpOutWeight [inner, width]
   * @param mlpOutBias [width]
   */
  public record Layer(
      NDArray norm1Weight,
      NDArray norm1Bias,
      NDArray qkvWeight,
      NDArray qkvBias,
      NDArray attentionOutWeight,
      NDArray attentionOutBias,
      NDArray norm2Weight,
      NDArray norm2Bias,
      NDArray mlpInWeight,
      NDArray mlpInBias,
      NDArray mlpOutWeight,
      NDArray mlpOutBias) {

    /** Returns the block's arrays in checkpoint order. */
    public List<NDArray> arrays() {
      return List.of(
          norm1Weight,
          norm1Bias,
          qkvWeight,
          qkvBias,
          attentionOutWeight,
          attentionOutBias,
          norm2Weight,
          norm2Bias,
          mlpInWeight,
          mlpInBias,
          mlpOutWeight,
          mlpOutBias);
    }
  }

  /** Copies F32 weights into arrays owned by {@code manager}. */
  public static GptParameters create(GptWeights weights, NDManager manager) {
    GptConfig config = weights.config();
    int width = config.width();
    int inner = config.innerWidth();
    NDArray tokens = create(manager, weights.tokenEmbedding(), config.vocabularySize(), width);
    List<Layer> layers = new ArrayList<>();
    for (GptWeights.Layer w : weights.layers()) {
      layers.add(
          new Layer(
              create(manager, w.norm1Weight(), width),
              create(manager, w.norm1Bias(), width),
              create(manager, w.qkvWeight(), width, 3L * width),
              create(manager, w.qkvBias(), 3L * width),
              create(manager, w.attentionOutWeight(), width, width),
              create(manager, w.attentionOutBias(), width),
              create(manager, w.norm2Weight(), width),
              create(manager, w.norm2Bias(), width),
              create(manager, w.mlpInWeight(), width, inner),
              create(manager, w.mlpInBias(), inner),
              create(manager, w.mlpOutWeight(), inner, width),
              create(manager, w.mlpOutBias(), width)));
    }
    NDArray lmHead =
        weights.lmHead() == weights.tokenEmbedding()
            ? tokens
            : create(manager, weights.lmHead(), config.vocabularySize(), width);
    return new GptParameters(
        config,
        tokens,
        create(manager, weights.positionEmbedding(), config.contextLength(), width),
        layers,
        create(manager, weights.finalNormWeight(), width),
        create(manager, weights.finalNormBias(), width),
        lmHead);
  }

  /** Returns every distinct trainable array (a tied head once). */
  public List<NDArray> all() {
    List<NDArray> all = new ArrayList<>(List.of(tokenEmbedding, positionEmbedding));
    for (Layer layer : layers) {
      all.addAll(layer.arrays());
    }
    all.add(finalNormWeight);
    all.add(finalNormBias);
    if (lmHead != tokenEmbedding) {
      all.add(lmHead);
    }
    return all;
  }

  /** Copies the arrays back into Java memory. */
  public GptWeights toWeights() {
    float[] tokens = tokenEmbedding.toFloatArray();
    List<GptWeights.Layer> out = new ArrayList<>();
    for (Layer l : layers) {
      out.add(
          new GptWeights.Layer(
              l.norm1Weight.toFloatArray(),
              l.norm1Bias.toFloatArray(),
              l.qkvWeight.toFloatArray(),
              l.qkvBias.toFloatArray(),
              l.attentionOutWeight.toFloatArray(),
              l.attentionOutBias.toFloatArray(),
              l.norm2Weight.toFloatArray(),
              l.norm2Bias.toFloatArray(),
              l.mlpInWeight.toFloatArray(),
              l.mlpInBias.toFloatArray(),
              l.mlpOutWeight.toFloatArray(),
              l.mlpOutBias.toFloatArray()));
    }
    return new GptWeights(
        config,
        tokens,
        positionEmbedding.toFloatArray(),
        out,
        finalNormWeight.toFloatArray(),
        finalNormBias.toFloatArray(),
        lmHead == tokenEmbedding ? tokens : lmHead.toFloatArray());
  }

  private static NDArray create(NDManager manager, float[] values, long... shape) {
    return manager.create(values, new Shape(shape));
  }
}
