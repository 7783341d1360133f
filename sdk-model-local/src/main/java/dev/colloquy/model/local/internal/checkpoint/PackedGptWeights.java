package dev.colloquy.model.local.internal.checkpoint;

import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A GPT-2 checkpoint's weights in the form the Java engine computes on. Each matrix is a {@link
 * WeightTensor} seen as a projection [out, in], as the Llama-style engine keeps them: F32 packed
 * into panels of [in, out] ({@link WeightTensor.PackedF32}), F16/BF16 kept 16-bit [out, in]
 * row-major ({@link WeightTensor.Halves}, Conv1D's [in, out] transposed at load). The q/k/v
 * projection's outputs (and bias) are in head order, q, k, v of head 0, then of head 1, and so on,
 * so that one head's task reads contiguous outputs. {@link CheckpointReader#readPacked} reads a
 * file straight into it; {@link #of(GptWeights)} packs F32 weights held in memory. The arrays are
 * kept, not copied.
 *
 * @param config the hyper-parameters
 * @param positionEmbedding {@code wpe}: [context, width]
 * @param untiedTokenEmbedding {@code wte} [vocab, width] row-major when the LM head is a tensor of
 *     its own, else empty (size 0): embedding lookups then read the LM head
 * @param layers the blocks in order
 * @param finalNormWeight {@code ln_f.weight}: [width]
 * @param finalNormBias {@code ln_f.bias}: [width]
 * @param lmHead the LM head [vocab, width]: {@code lm_head.weight}, or {@code wte} when tied
 */
public record PackedGptWeights(
    GptConfig config,
    float[] positionEmbedding,
    WeightTensor untiedTokenEmbedding,
    List<Layer> layers,
    float[] finalNormWeight,
    float[] finalNormBias,
    WeightTensor lmHead) {

  /** Copies the layer list. */
  public PackedGptWeights {
    layers = List.copyOf(layers);
  }

  /**
   * One block; the matrices are projections [out, in].
   *
   * @param norm1Weight [width]
   * @param norm1Bias [width]
   * @param qkv [3 × width, width], outputs in head order
   * @param qkvBias [3 × width], in head order
   * @param attentionOut [width, width]
   * @param attentionOutBias [width]
   * @param norm2Weight [width]
   * @param norm2Bias [width]
   * @param mlpIn [inner, width]
   * @param mlpInBias [inner]
   * @param mlpOut [width, inner]
   * @param mlpOutBias [width]
   */
  public record Layer(
      float[] norm1Weight,
      float[] norm1Bias,
      WeightTensor qkv,
      float[] qkvBias,
      WeightTensor attentionOut,
      float[] attentionOutBias,
      float[] norm2Weight,
      float[] norm2Bias,
      WeightTensor mlpIn,
      float[] mlpInBias,
      WeightTensor mlpOut,
      float[] mlpOutBias) {}

  /** Packs weights held in memory; the vectors are shared with them, the matrices copied. */
  public static PackedGptWeights of(GptWeights weights) {
    GptConfig config = weights.config();
    int width = config.width();
    int inner = config.innerWidth();
    int[] order = headOrder(config);
    List<Layer> layers = new ArrayList<>();
    for (GptWeights.Layer w : weights.layers()) {
      layers.add(
          new Layer(
              w.norm1Weight(),
              w.norm1Bias(),
              new WeightTensor.PackedF32(
                  PanelMatrix.ofRowMajor(
                      PanelMatrix.Values.of(w.qkvWeight()), width, 3 * width, order)),
              reorder(w.qkvBias(), order),
              conv1d(w.attentionOutWeight(), width, width),
              w.attentionOutBias(),
              w.norm2Weight(),
              w.norm2Bias(),
              conv1d(w.mlpInWeight(), width, inner),
              w.mlpInBias(),
              conv1d(w.mlpOutWeight(), inner, width),
              w.mlpOutBias()));
    }
    boolean tied = weights.lmHead() == weights.tokenEmbedding();
    return new PackedGptWeights(
        config,
        weights.positionEmbedding(),
        new WeightTensor.F32(tied ? new float[0] : weights.tokenEmbedding()),
        layers,
        weights.finalNormWeight(),
        weights.finalNormBias(),
        new WeightTensor.PackedF32(
            PanelMatrix.ofTransposed(
                PanelMatrix.Values.of(weights.lmHead()), width, config.vocabularySize())));
  }

  /** A Conv1D weight [in, out] as the projection [out, in], packed. */
  private static WeightTensor conv1d(float[] weight, int in, int out) {
    return new WeightTensor.PackedF32(
        PanelMatrix.ofRowMajor(PanelMatrix.Values.of(weight), in, out));
  }

  /**
   * The q/k/v columns in head order: column {@code (3h + part) × headWidth + i} of the result is
   * column {@code part × width + h × headWidth + i} of the checkpoint's (all q, all k, all v).
   */
  static int[] headOrder(GptConfig config) {
    int width = config.width();
    int headWidth = config.headWidth();
    int[] order = new int[3 * width];
    for (int head = 0; head < config.headCount(); head++) {
      for (int part = 0; part < 3; part++) {
        for (int i = 0; i < headWidth; i++) {
          order[(3 * head + part) * headWidth + i] = part * width + head * headWidth + i;
        }
      }
    }
    return order;
  }

  /** {@code values} with entry c taken from {@code values[order[c]]}. */
  static float[] reorder(float[] values, int[] order) {
    float[] result = new float[order.length];
    for (int c = 0; c < order.length; c++) {
      result[c] = values[order[c]];
    }
    return result;
  }
}
