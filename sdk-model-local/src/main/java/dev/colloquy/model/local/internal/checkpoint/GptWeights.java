package dev.colloquy.model.local.internal.checkpoint;

import java.util.List;

/**
 * A GPT-2 checkpoint's weights in F32, in the Hugging Face Conv1D layout ({@code [in, out]}).
 *
 * @param config the hyper-parameters
 * @param tokenEmbedding {@code wte}: [vocab, width]
 * @param positionEmbedding {@code wpe}: [context, width]
 * @param layers the blocks in order
 * @param finalNormWeight {@code ln_f.weight}: [width]
 * @param finalNormBias {@code ln_f.bias}: [width]
 * @param lmHead {@code lm_head.weight} [vocab, width], the same array as the token embedding when
 *     tied
 */
public record GptWeights(
    GptConfig config,
    float[] tokenEmbedding,
    float[] positionEmbedding,
    List<Layer> layers,
    float[] finalNormWeight,
    float[] finalNormBias,
    float[] lmHead) {

  /** Copies the layer list. */
  public GptWeights {
    layers = List.copyOf(layers);
  }

  /**
   * One transformer block.
   *
   * @param norm1Weight {@code ln_1.weight} [width]
   * @param norm1Bias {@code ln_1.bias} [width]
   * @param qkvWeight {@code attn.c_attn.weight} [width, 3 × width]
   * @param qkvBias {@code attn.c_attn.bias} [3 × width]
   * @param attentionOutWeight {@code attn.c_proj.weight} [width, width]
   * @param attentionOutBias {@code attn.c_proj.bias} [width]
   * @param norm2Weight {@code ln_2.weight} [width]
   * @param norm2Bias {@code ln_2.bias} [width]
   * @param mlpInWeight {@code mlp.c_fc.weight} [width, inner]
   * @param mlpInBias {@code mlp.c_fc.bias} [inner]
   * @param mlpOutWeight {@code mlp.c_proj.weight} [inner, width]
   * @param mlpOutBias {@code mlp.c_proj.bias} [width]
   */
  public record Layer(
      float[] norm1Weight,
      float[] norm1Bias,
      float[] qkvWeight,
      float[] qkvBias,
      float[] attentionOutWeight,
      float[] attentionOutBias,
      float[] norm2Weight,
      float[] norm2Bias,
      float[] mlpInWeight,
      float[] mlpInBias,
      float[] mlpOutWeight,
      float[] mlpOutBias) {}
}
