package dev.colloquy.model.local.internal.decoder;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The hyper-parameters of a Llama-style decoder, whatever the family: read from a Hugging Face
 * {@code config.json} by {@link #read(Path)}, or from GGUF metadata by the GGUF reader.
 *
 * @param family which family's parts the model uses
 * @param layerCount decoder blocks ({@code num_hidden_layers})
 * @param width the residual stream width ({@code hidden_size})
 * @param headCount query heads ({@code num_attention_heads})
 * @param keyValueHeadCount key/value heads ({@code num_key_value_heads}; grouped-query attention
 *     when fewer than the query heads)
 * @param headWidth the width of one head ({@code head_dim}, default width / heads)
 * @param innerWidth the MLP's hidden width ({@code intermediate_size})
 * @param vocabularySize tokens in the embedding ({@code vocab_size})
 * @param contextLength the most positions ({@code max_position_embeddings})
 * @param normEpsilon the RMSNorm epsilon ({@code rms_norm_eps})
 * @param ropeTheta the RoPE base ({@code rope_theta})
 * @param rotaryWidth how many leading dimensions of each head are rotated (head width × {@code
 *     partial_rotary_factor}); even
 * @param ropeScaling the {@code rope_scaling}
 * @param slidingWindow how many positions a query sees, itself included ({@code sliding_window}); 0
 *     for no window
 * @param queryKeyValueBias whether q, k and v projections have biases (Qwen2; {@code
 *     attention_bias})
 * @param outputBias whether the attention output projection has a bias ({@code attention_bias} of
 *     Llama and Qwen3)
 * @param queryKeyNorm whether each head's query and key are RMS-normed before RoPE (Qwen3)
 * @param tiedEmbeddings whether the LM head reuses the token embedding ({@code
 *     tie_word_embeddings})
 * @param beginOfTextId {@code bos_token_id}, if set
 * @param endOfTextIds {@code eos_token_id}: one or more ids that end a reply; may be empty
 * @param activation the gate activation of the gated MLP ({@code hidden_act})
 * @param feedForwardBias whether the gate, up and down projections have biases ({@code mlp_bias} of
 *     Llama)
 * @param windowedLayers which layers use {@code slidingWindow}, one flag per layer (Qwen2/Qwen3:
 *     the layers from {@code max_window_layers} on, or as {@code layer_types} says); empty when
 *     every layer does (Mistral, Phi-3) or there is no window (stored empty then)
 */
public record DecoderConfig(
    DecoderFamily family,
    int layerCount,
    int width,
    int headCount,
    int keyValueHeadCount,
    int headWidth,
    int innerWidth,
    int vocabularySize,
    int contextLength,
    float normEpsilon,
    double ropeTheta,
    int rotaryWidth,
    RopeScaling ropeScaling,
    int slidingWindow,
    boolean queryKeyValueBias,
    boolean outputBias,
    boolean queryKeyNorm,
    boolean tiedEmbeddings,
    OptionalInt beginOfTextId,
    List<Integer> endOfTextIds,
    Activation activation,
    boolean feedForwardBias,
    List<Boolean> windowedLayers) {

  /** The gate activations of the gated MLP. */
  public enum Activation {
    /** SiLU, {@code x * sigmoid(x)} ({@code "silu"}): SwiGLU. */
    SILU,
    /** GELU, tanh form ({@code "gelu_pytorch_tanh"}): GeGLU. */
    GELU_TANH
  }

  /** A configuration without MLP biases whose window, if any, applies to every layer. */
  public DecoderConfig(
      DecoderFamily family,
      int layerCount,
      int width,
      int headCount,
      int keyValueHeadCount,
      int headWidth,
      int innerWidth,
      int vocabularySize,
      int contextLength,
      float normEpsilon,
      double ropeTheta,
      int rotaryWidth,
      RopeScaling ropeScaling,
      int slidingWindow,
      boolean queryKeyValueBias,
      boolean outputBias,
      boolean queryKeyNorm,
      boolean tiedEmbeddings,
      OptionalInt beginOfTextId,
      List<Integer> endOfTextIds,
      Activation activation) {
    this(
        family,
        layerCount,
        width,
        headCount,
        keyValueHeadCount,
        headWidth,
        innerWidth,
        vocabularySize,
        contextLength,
        normEpsilon,
        ropeTheta,
        rotaryWidth,
        ropeScaling,
        slidingWindow,
        queryKeyValueBias,
        outputBias,
        queryKeyNorm,
        tiedEmbeddings,
        beginOfTextId,
        endOfTextIds,
        activation,
        false,
        List.of());
  }

  /** Validates the sizes and their consistency; messages name Hugging Face's field. */
  public DecoderConfig {
    if (family == null
        || ropeScaling == null
        || activation == null
        || beginOfTextId == null
        || windowedLayers == null) {
      throw new IllegalArgumentException(
          "family, ropeScaling, activation, bos and windowedLayers are required");
    }
    atLeastOne("num_hidden_layers", layerCount);
    atLeastOne("hidden_size", width);
    atLeastOne("num_attention_heads", headCount);
    atLeastOne("num_key_value_heads", keyValueHeadCount);
    atLeastOne("head_dim", headWidth);
    atLeastOne("intermediate_size", innerWidth);
    atLeastOne("vocab_size", vocabularySize);
    atLeastOne("max_position_embeddings", contextLength);
    if (headCount % keyValueHeadCount != 0) {
      throw new IllegalArgumentException(
          "num_attention_heads "
              + headCount
              + " is not a multiple of num_key_value_heads "
              + keyValueHeadCount);
    }
    if ((long) headCount * headWidth > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException(
          "num_attention_heads × head_dim = " + (long) headCount * headWidth + " is too large");
    }
    if (!(normEpsilon > 0) || Float.isInfinite(normEpsilon)) {
      throw new IllegalArgumentException(
          "rms_norm_eps must be a positive finite number, was " + normEpsilon);
    }
    if (!(ropeTheta > 1) || Double.isInfinite(ropeTheta)) {
      throw new IllegalArgumentException(
          "rope_theta must be a finite number above 1, was " + ropeTheta);
    }
    if (rotaryWidth < 2 || rotaryWidth > headWidth || rotaryWidth % 2 != 0) {
      throw new IllegalArgumentException(
          "the rotary width (head_dim × partial_rotary_factor) must be even, 2 to head_dim "
              + headWidth
              + ", was "
              + rotaryWidth);
    }
    if (slidingWindow < 0) {
      throw new IllegalArgumentException(
          "sliding_window must be at least 1 (or null for none), was " + slidingWindow);
    }
    windowedLayers = List.copyOf(windowedLayers);
    if (!windowedLayers.isEmpty() && windowedLayers.size() != layerCount) {
      throw new IllegalArgumentException(
          "layer_types names "
              + windowedLayers.size()
              + " layers but num_hidden_layers is "
              + layerCount);
    }
    // One form per meaning, so that configurations read from different files compare equal.
    if (slidingWindow == 0 || !windowedLayers.contains(false)) {
      windowedLayers = List.of();
    }
    if (ropeScaling.type() == RopeScaling.Type.LONGROPE
        && ropeScaling.shortFactor().size() != rotaryWidth / 2) {
      throw new IllegalArgumentException(
          "longrope short_factor and long_factor need one number per rotary dimension pair, "
              + rotaryWidth / 2
              + ", but have "
              + ropeScaling.shortFactor().size());
    }
    if (beginOfTextId.isPresent()
        && (beginOfTextId.getAsInt() < 0 || beginOfTextId.getAsInt() >= vocabularySize)) {
      throw new IllegalArgumentException(
          "bos_token_id "
              + beginOfTextId.getAsInt()
              + " is outside the vocabulary of "
              + vocabularySize);
    }
    endOfTextIds = List.copyOf(endOfTextIds);
    for (int id : endOfTextIds) {
      if (id < 0 || id >= vocabularySize) {
        throw new IllegalArgumentException(
            "eos_token_id " + id + " is outside the vocabulary of " + vocabularySize);
      }
    }
  }

  private static void atLeastOne(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " must be at least 1, was " + value);
    }
  }

  /**
   * Returns how many positions a query of {@code layer} sees, itself included; 0 for the whole
   * sequence.
   */
  public int slidingWindow(int layer) {
    return windowedLayers.isEmpty() || windowedLayers.get(layer) ? slidingWindow : 0;
  }

  /** Returns the query heads that share one key/value head. */
  public int groupSize() {
    return headCount / keyValueHeadCount;
  }

  /** Returns the width of all query heads together, {@code heads × headWidth}. */
  public int queryWidth() {
    return headCount * headWidth;
  }

  /** Returns the width of all key (or value) heads together, {@code kvHeads × headWidth}. */
  public int keyValueWidth() {
    return keyValueHeadCount * headWidth;
  }

  /** Returns the number of weights, as the checkpoint stores them (tied head counted once). */
  public long parameterCount() {
    long q = (long) queryWidth() * width;
    long kv = 2L * keyValueWidth() * width;
    long perLayer =
        2L * width
            + q
            + kv
            + (long) width * queryWidth()
            + 3L * innerWidth * width
            + (feedForwardBias ? 2L * innerWidth + width : 0)
            + (queryKeyValueBias ? queryWidth() + 2L * keyValueWidth() : 0)
            + (outputBias ? width : 0)
            + (queryKeyNorm ? 2L * headWidth : 0);
    long embedding = (long) vocabularySize * width;
    return embedding + layerCount * perLayer + width + (tiedEmbeddings ? 0 : embedding);
  }

  /**
   * Reads a Hugging Face {@code config.json}, deciding the family by {@code model_type} (or, when
   * that is absent, {@code architectures}).
   *
   * @param configJson the file
   * @return the configuration
   * @throws dev.colloquy.model.local.ModelLoadException naming the file and field when it is
   *     missing, malformed, inconsistent or of an unsupported family
   */
  public static DecoderConfig read(Path configJson) {
    return DecoderConfigReader.read(configJson);
  }
}
