package dev.colloquy.model.local.internal.checkpoint;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.colloquy.model.local.ModelLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The GPT-2 hyper-parameters read from a Hugging Face {@code config.json}.
 *
 * @param layerCount transformer blocks ({@code n_layer})
 * @param headCount attention heads per block ({@code n_head})
 * @param width the residual stream width ({@code n_embd})
 * @param innerWidth the MLP's hidden width ({@code n_inner}, default 4 × width)
 * @param contextLength the most positions ({@code n_positions}, or {@code n_ctx} in old files)
 * @param vocabularySize tokens in the embedding ({@code vocab_size})
 * @param layerNormEpsilon {@code layer_norm_epsilon}
 * @param tiedLmHead whether the LM head reuses the token embedding ({@code tie_word_embeddings})
 * @param endOfTextId the end-of-text token ({@code eos_token_id}, default 50256)
 */
public record GptConfig(
    int layerCount,
    int headCount,
    int width,
    int innerWidth,
    int contextLength,
    int vocabularySize,
    float layerNormEpsilon,
    boolean tiedLmHead,
    int endOfTextId) {

  // Python's json module writes NaN and Infinity; parse them so the field check can name the field.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final Set<String> TANH_GELU = Set.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast");

  /** Validates the sizes. */
  public GptConfig {
    if (layerCount < 1
        || headCount < 1
        || width < 1
        || innerWidth < 1
        || contextLength < 1
        || vocabularySize < 1) {
      throw new IllegalArgumentException(
          "every GPT size must be at least 1: "
              + describe(layerCount, headCount, width, innerWidth, contextLength, vocabularySize));
    }
    if (width % headCount != 0) {
      throw new IllegalArgumentException(
          "n_embd " + width + " is not divisible by n_head " + headCount);
    }
    if (!(layerNormEpsilon > 0) || Float.isInfinite(layerNormEpsilon)) {
      throw new IllegalArgumentException(
          "layer_norm_epsilon must be a positive finite number, was " + layerNormEpsilon);
    }
    if (endOfTextId < 0 || endOfTextId >= vocabularySize) {
      throw new IllegalArgumentException(
          "eos_token_id " + endOfTextId + " is outside the vocabulary of " + vocabularySize);
    }
  }

  /** Returns the width of one attention head. */
  public int headWidth() {
    return width / headCount;
  }

  /** Returns the number of weights, as the checkpoint stores them (tied head counted once). */
  public long parameterCount() {
    long perLayer =
        2L * width
            + (long) width * 3 * width
            + 3L * width
            + (long) width * width
            + width
            + 2L * width
            + (long) width * innerWidth
            + innerWidth
            + (long) innerWidth * width
            + width;
    long embeddings = (long) vocabularySize * width + (long) contextLength * width;
    return embeddings
        + layerCount * perLayer
        + 2L * width
        + (tiedLmHead ? 0 : (long) vocabularySize * width);
  }

  /**
   * Reads a {@code config.json}.
   *
   * @throws ModelLoadException naming the file and field when it is missing, malformed or not GPT-2
   */
  public static GptConfig read(Path file) {
    JsonNode json;
    try {
      json = JSON.readTree(CappedFile.read(file, CappedFile.CONFIG_CAP, "model configuration"));
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read model configuration "
              + file
              + ": "
              + e.getMessage()
              + " (a Hugging Face GPT-2 directory has config.json beside model.safetensors)",
          e);
    }
    if (json == null || !json.isObject()) {
      throw new ModelLoadException("model configuration " + file + " is not a JSON object");
    }
    String modelType = json.path("model_type").asText("gpt2");
    if (!modelType.equals("gpt2")) {
      throw new ModelLoadException(
          "model configuration "
              + file
              + " has model_type '"
              + modelType
              + "'; this runtime loads the GPT-2 architecture only (GPT-2, DistilGPT2, DialoGPT)");
    }
    String activation = json.path("activation_function").asText("gelu_new");
    if (!TANH_GELU.contains(activation)) {
      throw new ModelLoadException(
          "model configuration "
              + file
              + " has activation_function '"
              + activation
              + "'; supported: "
              + TANH_GELU);
    }
    int width = integer(file, json, "n_embd", 1);
    int innerWidth =
        isSet(json, "n_inner") ? integer(file, json, "n_inner", 1) : defaultInnerWidth(file, width);
    int context =
        isSet(json, "n_positions")
            ? integer(file, json, "n_positions", 1)
            : integer(file, json, "n_ctx", 1);
    int endOfText = isSet(json, "eos_token_id") ? integer(file, json, "eos_token_id", 0) : 50256;
    boolean tied = true;
    if (isSet(json, "tie_word_embeddings")) {
      if (!json.get("tie_word_embeddings").isBoolean()) {
        throw new ModelLoadException(
            "model configuration "
                + file
                + " needs 'tie_word_embeddings' as true or false, found "
                + json.get("tie_word_embeddings"));
      }
      tied = json.get("tie_word_embeddings").booleanValue();
    }
    try {
      return new GptConfig(
          integer(file, json, "n_layer", 1),
          integer(file, json, "n_head", 1),
          width,
          innerWidth,
          context,
          integer(file, json, "vocab_size", 1),
          layerNormEpsilon(file, json),
          tied,
          endOfText);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(
          "model configuration " + file + " is inconsistent: " + e.getMessage(), e);
    }
  }

  /** Whether a field is present and not null (Hugging Face writes null for "use the default"). */
  private static boolean isSet(JsonNode json, String field) {
    return json.hasNonNull(field);
  }

  /**
   * Reads a whole number from {@code min} to {@link Integer#MAX_VALUE}; larger ones are errors,
   * never wrapped.
   */
  private static int integer(Path file, JsonNode json, String field, int min) {
    JsonNode node = json.path(field);
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min) {
      throw new ModelLoadException(
          "model configuration "
              + file
              + " needs '"
              + field
              + "' as an integer from "
              + min
              + " to "
              + Integer.MAX_VALUE
              + ", found "
              + (node.isMissingNode() ? "nothing" : node.toString()));
    }
    return node.intValue();
  }

  private static int defaultInnerWidth(Path file, int width) {
    if (width > Integer.MAX_VALUE / 4) {
      throw new ModelLoadException(
          "model configuration "
              + file
              + " has no 'n_inner', and its default 4 × n_embd = "
              + 4L * width
              + " is larger than "
              + Integer.MAX_VALUE);
    }
    return 4 * width;
  }

  private static float layerNormEpsilon(Path file, JsonNode json) {
    if (!isSet(json, "layer_norm_epsilon")) {
      return 1e-5f;
    }
    JsonNode node = json.get("layer_norm_epsilon");
    float epsilon = node.isNumber() ? (float) node.doubleValue() : Float.NaN;
    if (!(epsilon > 0) || Float.isInfinite(epsilon)) {
      throw new ModelLoadException(
          "model configuration "
              + file
              + " needs 'layer_norm_epsilon' as a positive finite "
              + "number (GPT-2 uses 1e-05), found "
              + node
              + (node.isNumber() && epsilon == 0 ? ", which is 0 as a float" : ""));
    }
    return epsilon;
  }

  private static String describe(int l, int h, int w, int i, int c, int v) {
    return "n_layer="
        + l
        + " n_head="
        + h
        + " n_embd="
        + w
        + " n_inner="
        + i
        + " n_positions="
        + c
        + " vocab_size="
        + v;
  }
}
