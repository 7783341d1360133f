package dev.colloquy.model.local.internal.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
public record GptConfig(int layerCount, int headCount, int width, int innerWidth, int contextLength,
    int vocabularySize, float layerNormEpsilon, boolean tiedLmHead, int endOfTextId) {

  private static final Set<String> TANH_GELU = Set.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast");

  /** Validates the sizes. */
  public GptConfig {
    if (layerCount < 1 || headCount < 1 || width < 1 || innerWidth < 1 || contextLength < 1 || vocabularySize < 1) {
      throw new IllegalArgumentException("every GPT size must be at least 1: " + describe(layerCount, headCount, width,
          innerWidth, contextLength, vocabularySize));
    }
    if (width % headCount != 0) {
      throw new IllegalArgumentException("n_embd " + width + " is not divisible by n_head " + headCount);
    }
    if (endOfTextId < 0 || endOfTextId >= vocabularySize) {
      throw new IllegalArgumentException("eos_token_id " + endOfTextId + " is outside the vocabulary of " + vocabularySize);
    }
  }

  /** Returns the width of one attention head. */
  public int headWidth() {
    return width / headCount;
  }

  /** Returns the number of weights, as the checkpoint stores them (tied head counted once). */
  public long parameterCount() {
    long perLayer = 2L * width + (long) width * 3 * width + 3L * width + (long) width * width + width
        + 2L * width + (long) width * innerWidth + innerWidth + (long) innerWidth * width + width;
    long embeddings = (long) vocabularySize * width + (long) contextLength * width;
    return embeddings + layerCount * perLayer + 2L * width + (tiedLmHead ? 0 : (long) vocabularySize * width);
  }

  /**
   * Reads a {@code config.json}.
   *
   * @throws ModelLoadException naming the file and field when it is missing, malformed or not GPT-2
   */
  public static GptConfig read(Path file) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(CappedFile.read(file, CappedFile.CONFIG_CAP, "model configuration"));
    } catch (IOException e) {
      throw new ModelLoadException("cannot read model configuration " + file + ": " + e.getMessage()
          + " (a Hugging Face GPT-2 directory has config.json beside model.safetensors)", e);
    }
    if (json == null || !json.isObject()) {
      throw new ModelLoadException("model configuration " + file + " is not a JSON object");
    }
    String modelType = json.path("model_type").asText("gpt2");
    if (!modelType.equals("gpt2")) {
      throw new ModelLoadException("model configuration " + file + " has model_type '" + modelType
          + "'; this runtime loads the GPT-2 architecture only (GPT-2, DistilGPT2, DialoGPT)");
    }
    String activation = json.path("activation_function").asText("gelu_new");
    if (!TANH_GELU.contains(activation)) {
      throw new ModelLoadException("model configuration " + file + " has activation_function '" + activation
          + "'; supported: " + TANH_GELU);
    }
    int width = integer(file, json, "n_embd");
    JsonNode inner = json.path("n_inner");
    int innerWidth = inner.isIntegralNumber() ? inner.asInt() : 4 * width;
    int context = json.has("n_positions") ? integer(file, json, "n_positions") : integer(file, json, "n_ctx");
    JsonNode eos = json.path("eos_token_id");
    try {
      return new GptConfig(integer(file, json, "n_layer"), integer(file, json, "n_head"), width, innerWidth, context,
          integer(file, json, "vocab_size"), (float) json.path("layer_norm_epsilon").asDouble(1e-5),
          json.path("tie_word_embeddings").asBoolean(true), eos.isIntegralNumber() ? eos.asInt() : 50256);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException("model configuration " + file + " is inconsistent: " + e.getMessage(), e);
    }
  }

  private static int integer(Path file, JsonNode json, String field) {
    JsonNode node = json.path(field);
    if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > Integer.MAX_VALUE) {
      throw new ModelLoadException("model configuration " + file + " needs '" + field
          + "' as a positive integer, found " + (node.isMissingNode() ? "nothing" : node.toString()));
    }
    return node.asInt();
  }

  private static String describe(int l, int h, int w, int i, int c, int v) {
    return "n_layer=" + l + " n_head=" + h + " n_embd=" + w + " n_inner=" + i + " n_positions=" + c + " vocab_size=" + v;
  }
}
