package dev.colloquy.model.local.internal.decoder;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.CappedFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a Hugging Face {@code config.json} into a {@link DecoderConfig}, with each family's
 * defaults as its transformers configuration class has them.
 */
final class DecoderConfigReader {

  // Python's json module writes NaN and Infinity; parse them so the field check can name the field.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final Path file;
  private final JsonNode json;

  private DecoderConfigReader(Path file, JsonNode json) {
    this.file = file;
    this.json = json;
  }

  static DecoderConfig read(Path file) {
    JsonNode json;
    try {
      json = JSON.readTree(CappedFile.read(file, CappedFile.CONFIG_CAP, "model configuration"));
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read model configuration "
              + file
              + ": "
              + e.getMessage()
              + " (a Hugging Face model directory has config.json beside its weights)",
          e);
    }
    if (json == null || !json.isObject()) {
      throw new ModelLoadException("model configuration " + file + " is not a JSON object");
    }
    return new DecoderConfigReader(file, json).config();
  }

  /**
   * Decides the family: {@code model_type} first, as transformers' AutoConfig does, then the first
   * of {@code architectures}.
   */
  static DecoderFamily family(Path file, JsonNode json) {
    String modelType = json.path("model_type").asText("");
    String architecture =
        json.path("architectures").isArray() && json.path("architectures").size() > 0
            ? json.path("architectures").get(0).asText("")
            : "";
    Optional<DecoderFamily> family =
        modelType.isEmpty()
            ? DecoderFamily.ofArchitecture(architecture)
            : DecoderFamily.ofModelType(modelType);
    if (family.isPresent()) {
      return family.get();
    }
    String found =
        modelType.isEmpty()
            ? (architecture.isEmpty()
                ? "neither model_type nor architectures"
                : "architectures ['" + architecture + "']")
            : "model_type '" + modelType + "'";
    throw new ModelLoadException(
        "model configuration "
            + file
            + " has "
            + found
            + ", which this decoder does not run; supported: "
            + DecoderFamily.supported()
            + ", and gpt2 (GPT2LMHeadModel) on the GPT-2 path");
  }

  private DecoderConfig config() {
    DecoderFamily family = family(file, json);
    // Only LlamaMLP reads mlp_bias; the other families' MLPs have no biases whatever it says.
    boolean mlpBias = family == DecoderFamily.LLAMA && bool("mlp_bias", false);
    int width = integer("hidden_size", 1);
    int heads = integer("num_attention_heads", 1);
    int keyValueHeads = isSet("num_key_value_heads") ? integer("num_key_value_heads", 1) : heads;
    int headWidth = isSet("head_dim") ? integer("head_dim", 1) : width / heads;
    double partialRotary = isSet("partial_rotary_factor") ? number("partial_rotary_factor") : 1.0;
    if (!(partialRotary > 0 && partialRotary <= 1)) {
      throw field("partial_rotary_factor", "a number in (0, 1]", json.get("partial_rotary_factor"));
    }
    int contextLength = integer("max_position_embeddings", 1);
    JsonNode ropeParameters = json.path("rope_parameters"); // transformers 5 moves rope here
    double theta =
        isSet("rope_theta")
            ? number("rope_theta")
            : ropeParameters.path("rope_theta").isNumber()
                ? ropeParameters.get("rope_theta").doubleValue()
                : 10000.0;
    boolean attentionBias = bool("attention_bias", false);
    boolean qkvBias =
        switch (family) {
          case QWEN2 -> true; // Qwen2Attention hard-codes bias=True on q, k and v
          case LLAMA, QWEN3 -> attentionBias;
          case MISTRAL, PHI3 -> false;
        };
    boolean outputBias =
        (family == DecoderFamily.LLAMA || family == DecoderFamily.QWEN3) && attentionBias;
    try {
      return new DecoderConfig(
          family,
          integer("num_hidden_layers", 1),
          width,
          heads,
          keyValueHeads,
          headWidth,
          integer("intermediate_size", 1),
          integer("vocab_size", 1),
          contextLength,
          epsilon(family),
          theta,
          (int) (headWidth * partialRotary),
          ropeScaling(family, contextLength),
          slidingWindow(family),
          qkvBias,
          outputBias,
          family == DecoderFamily.QWEN3,
          bool("tie_word_embeddings", false),
          isSet("bos_token_id") ? OptionalInt.of(integer("bos_token_id", 0)) : OptionalInt.empty(),
          endOfTextIds(),
          activation(),
          mlpBias,
          windowedLayers(family));
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(
          "model configuration " + file + " is inconsistent: " + e.getMessage(), e);
    }
  }

  private float epsilon(DecoderFamily family) {
    // The transformers configuration classes' defaults: 1e-5 for Phi-3, 1e-6 for the others.
    double value =
        isSet("rms_norm_eps") ? number("rms_norm_eps") : family == DecoderFamily.PHI3 ? 1e-5 : 1e-6;
    float epsilon = (float) value;
    if (!(epsilon > 0) || Float.isInfinite(epsilon)) {
      throw field(
          "rms_norm_eps",
          "a positive finite number" + (value > 0 && epsilon == 0 ? " (it is 0 as a float)" : ""),
          json.get("rms_norm_eps"));
    }
    return epsilon;
  }

  private int slidingWindow(DecoderFamily family) {
    return switch (family) {
      case MISTRAL, PHI3 -> isSet("sliding_window") ? integer("sliding_window", 1) : 0;
      // Qwen2Config: sliding_window counts only when use_sliding_window is true.
      case QWEN2, QWEN3 ->
          bool("use_sliding_window", false) && isSet("sliding_window")
              ? integer("sliding_window", 1)
              : 0;
      case LLAMA -> 0;
    };
  }

  /**
   * Which layers use the window. Qwen2Config (transformers' configuration_qwen2.py, read at commit
   * 008e574) derives {@code layer_types} as "sliding_attention" for layer {@code i >=
   * max_window_layers} (default 28) and "full_attention" below it, unless config.json lists {@code
   * layer_types} itself. Mistral and Phi-3 window every layer (an empty list).
   */
  private List<Boolean> windowedLayers(DecoderFamily family) {
    if (family != DecoderFamily.QWEN2 && family != DecoderFamily.QWEN3) {
      return List.of();
    }
    int layers = integer("num_hidden_layers", 1);
    List<Boolean> windowed = new ArrayList<>();
    JsonNode types = json.path("layer_types");
    if (types.isArray()) {
      for (JsonNode type : types) {
        switch (type.asText("")) {
          case "sliding_attention" -> windowed.add(true);
          case "full_attention" -> windowed.add(false);
          default ->
              throw field(
                  "layer_types", "a list of \"full_attention\" and \"sliding_attention\"", types);
        }
      }
      return windowed;
    }
    if (!types.isMissingNode() && !types.isNull()) {
      throw field("layer_types", "a list or null", types);
    }
    int first = isSet("max_window_layers") ? integer("max_window_layers", 0) : 28;
    for (int layer = 0; layer < layers; layer++) {
      windowed.add(layer >= first);
    }
    return windowed;
  }

  private DecoderConfig.Activation activation() {
    String name = json.path("hidden_act").asText("silu");
    return switch (name) {
      case "silu", "swish" -> DecoderConfig.Activation.SILU;
      case "gelu_pytorch_tanh", "gelu_new", "gelu_fast" -> DecoderConfig.Activation.GELU_TANH;
      default ->
          throw new ModelLoadException(
              "model configuration "
                  + file
                  + " has hidden_act '"
                  + name
                  + "'; supported: silu, gelu_pytorch_tanh");
    };
  }

  private List<Integer> endOfTextIds() {
    JsonNode node = json.path("eos_token_id");
    List<Integer> ids = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode id : node) {
        ids.add(integerValue("eos_token_id", id, 0));
      }
    } else if (!node.isMissingNode() && !node.isNull()) {
      ids.add(integerValue("eos_token_id", node, 0));
    }
    return ids;
  }

  /** Reads {@code rope_scaling} (or transformers 5's {@code rope_parameters}). */
  private RopeScaling ropeScaling(DecoderFamily family, int contextLength) {
    JsonNode scaling = json.path("rope_scaling");
    if (scaling.isMissingNode() || scaling.isNull()) {
      scaling = json.path("rope_parameters");
    }
    if (scaling.isMissingNode() || scaling.isNull()) {
      return RopeScaling.NONE;
    }
    if (!scaling.isObject()) {
      throw field("rope_scaling", "an object or null", scaling);
    }
    String type = scaling.path("rope_type").asText(scaling.path("type").asText("default"));
    if (family == DecoderFamily.PHI3 && (type.equals("su") || type.equals("yarn"))) {
      type = "longrope"; // Phi3Config renames the types of early Phi-3 configs to longrope
    }
    RopeScaling.Type kind =
        switch (type) {
          case "default" -> RopeScaling.Type.NONE;
          case "linear" -> RopeScaling.Type.LINEAR;
          case "dynamic" -> RopeScaling.Type.DYNAMIC;
          case "yarn" -> RopeScaling.Type.YARN;
          case "llama3" -> RopeScaling.Type.LLAMA3;
          case "longrope" -> RopeScaling.Type.LONGROPE;
          default ->
              throw new ModelLoadException(
                  "model configuration "
                      + file
                      + " has rope_scaling type '"
                      + type
                      + "'; supported: default, linear, dynamic, yarn, llama3, longrope");
        };
    if (kind == RopeScaling.Type.NONE) {
      return RopeScaling.NONE;
    }
    if (kind == RopeScaling.Type.LONGROPE) {
      return longrope(family, scaling, contextLength);
    }
    double factor = scalingNumber(scaling, "factor", Double.NaN);
    int original =
        scaling.hasNonNull("original_max_position_embeddings")
            ? integerValue(
                "rope_scaling.original_max_position_embeddings",
                scaling.get("original_max_position_embeddings"),
                1)
            : 0;
    try {
      return switch (kind) {
        case LINEAR, DYNAMIC -> new RopeScaling(kind, factor, 0, 0, 0, 0, 0, 1, true);
        case LLAMA3 ->
            new RopeScaling(
                kind,
                factor,
                original,
                scalingNumber(scaling, "low_freq_factor", Double.NaN),
                scalingNumber(scaling, "high_freq_factor", Double.NaN),
                0,
                0,
                1,
                true);
        case YARN -> yarn(scaling, factor, original > 0 ? original : contextLength);
        case NONE, LONGROPE -> RopeScaling.NONE;
      };
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(
          "model configuration " + file + " has an invalid rope_scaling: " + e.getMessage(), e);
    }
  }

  /**
   * YaRN as transformers' {@code _compute_yarn_parameters}: the attention factor is {@code
   * attention_factor} when set, else {@code mscale(factor, mscale) / mscale(factor,
   * mscale_all_dim)} when both are set and non-zero, else {@code mscale(factor)} = {@code 0.1
   * ln(factor) + 1} (1 for a factor up to 1); {@code beta_fast}/{@code beta_slow} default to 32/1.
   *
   * <p>The factor is {@code rope_scaling.factor} as written, and the original context {@code
   * rope_scaling.original_max_position_embeddings}, else {@code max_position_embeddings}: so do
   * late 4.x releases (modeling_rope_utils.py at commit b9282355, the one that added {@code
   * truncate}: {@code original = rope_scaling.get(...) or config.max_position_embeddings}, and its
   * validation warns that it is "Using the explicit factor" when the ratio disagrees) and 5.x
   * ({@code factor = max / original} only when {@code factor} is absent). Some earlier 4.x releases
   * (the change made for DeepSeek-V3) replaced a set factor by that ratio; a config whose ratio
   * disagrees with its factor (Qwen3's 40960 / 32768 with factor 4) computes differently there, and
   * this reader follows the newer rule.
   */
  private RopeScaling yarn(JsonNode scaling, double factor, int original) {
    double attentionFactor;
    if (scaling.hasNonNull("attention_factor")) {
      attentionFactor = scalingNumber(scaling, "attention_factor", Double.NaN);
    } else {
      double mscale = scalingNumber(scaling, "mscale", 0);
      double mscaleAllDim = scalingNumber(scaling, "mscale_all_dim", 0);
      attentionFactor =
          mscale != 0 && mscaleAllDim != 0
              ? yarnScale(factor, mscale) / yarnScale(factor, mscaleAllDim)
              : yarnScale(factor, 1);
    }
    return new RopeScaling(
        RopeScaling.Type.YARN,
        factor,
        original,
        0,
        0,
        scalingNumber(scaling, "beta_fast", 32),
        scalingNumber(scaling, "beta_slow", 1),
        attentionFactor,
        !scaling.hasNonNull("truncate") || scaling.get("truncate").asBoolean(true));
  }

  /**
   * LongRoPE as transformers' {@code _compute_longrope_parameters} (modeling_rope_utils.py, read at
   * commit ef46806, 4.4x): the original context is the top-level {@code
   * original_max_position_embeddings} when the config has one (Phi3Config always does, default
   * 4096), and then the factor is {@code max_position_embeddings / original}, not {@code
   * rope_scaling.factor}; otherwise the original context is {@code max_position_embeddings} and the
   * factor is {@code rope_scaling.factor}. The attention factor is {@code attention_factor} when
   * set, else 1 for a factor up to 1, else {@code sqrt(1 + ln(factor) / ln(original))}.
   */
  private RopeScaling longrope(DecoderFamily family, JsonNode scaling, int contextLength) {
    int original;
    double factor;
    if (isSet("original_max_position_embeddings") || family == DecoderFamily.PHI3) {
      original =
          isSet("original_max_position_embeddings")
              ? integer("original_max_position_embeddings", 1)
              : 4096;
      factor = (double) contextLength / original;
    } else {
      original = contextLength;
      factor = scalingNumber(scaling, "factor", Double.NaN);
    }
    double attentionFactor =
        scaling.hasNonNull("attention_factor")
            ? scalingNumber(scaling, "attention_factor", Double.NaN)
            : factor <= 1 ? 1.0 : Math.sqrt(1 + Math.log(factor) / Math.log(original));
    try {
      return new RopeScaling(
          RopeScaling.Type.LONGROPE,
          factor,
          original,
          0,
          0,
          0,
          0,
          attentionFactor,
          true,
          factorList(scaling, "short_factor"),
          factorList(scaling, "long_factor"));
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(
          "model configuration " + file + " has an invalid rope_scaling: " + e.getMessage(), e);
    }
  }

  private List<Float> factorList(JsonNode scaling, String field) {
    JsonNode node = scaling.path(field);
    if (!node.isArray()) {
      throw field("rope_scaling." + field, "a list of numbers", node);
    }
    List<Float> factors = new ArrayList<>();
    for (JsonNode value : node) {
      if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
        throw field("rope_scaling." + field, "a list of finite numbers", node);
      }
      factors.add(value.floatValue()); // torch.tensor(..., dtype=torch.float32)
    }
    return factors;
  }

  private static double yarnScale(double scale, double mscale) {
    return scale <= 1 ? 1.0 : 0.1 * mscale * Math.log(scale) + 1.0;
  }

  private double scalingNumber(JsonNode scaling, String field, double fallback) {
    JsonNode node = scaling.path(field);
    if (node.isMissingNode() || node.isNull()) {
      if (Double.isNaN(fallback)) {
        throw field("rope_scaling." + field, "a number", node);
      }
      return fallback;
    }
    if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
      throw field("rope_scaling." + field, "a finite number", node);
    }
    return node.doubleValue();
  }

  private void refuseIf(boolean condition, String field, String why) {
    if (condition) {
      throw new ModelLoadException("model configuration " + file + " sets '" + field + "': " + why);
    }
  }

  /** Whether a field is present and not null (Hugging Face writes null for "use the default"). */
  private boolean isSet(String field) {
    return json.hasNonNull(field);
  }

  private boolean bool(String field, boolean fallback) {
    if (!isSet(field)) {
      return fallback;
    }
    if (!json.get(field).isBoolean()) {
      throw field(field, "true or false", json.get(field));
    }
    return json.get(field).booleanValue();
  }

  private double number(String field) {
    JsonNode node = json.path(field);
    if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
      throw field(field, "a finite number", node);
    }
    return node.doubleValue();
  }

  private int integer(String field, int min) {
    return integerValue(field, json.path(field), min);
  }

  /**
   * Reads a whole number from {@code min} to {@link Integer#MAX_VALUE}; larger ones are errors,
   * never wrapped.
   */
  private int integerValue(String field, JsonNode node, int min) {
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min) {
      throw field(field, "an integer from " + min + " to " + Integer.MAX_VALUE, node);
    }
    return node.intValue();
  }

  private ModelLoadException field(String field, String expected, JsonNode found) {
    return new ModelLoadException(
        "model configuration "
            + file
            + " needs '"
            + field
            + "' as "
            + expected
            + ", found "
            + (found == null || found.isMissingNode() ? "nothing" : found.toString()));
  }
}
