package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderFamily;
import dev.colloquy.model.local.internal.decoder.RopeScaling;
import dev.colloquy.model.local.internal.decoder.TensorNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads a {@link DecoderConfig} from GGUF metadata ({@code {arch}.block_count}, {@code
 * {arch}.embedding_length}, ...), with what the metadata does not say taken from the tensors: q/k/v
 * and output biases, tied embeddings, and the vocabulary (the rows of {@code token_embd.weight}).
 */
final class GgufDecoderConfig {

  /** The {@code general.architecture} values read, and the families they run as. */
  static final String SUPPORTED = "llama (Llama, Mistral, SmolLM, TinyLlama), qwen2, qwen3, phi3";

  private final GgufFile gguf;
  private final GgufMetadata metadata;
  private final String architecture;

  private GgufDecoderConfig(GgufFile gguf, String architecture) {
    this.gguf = gguf;
    this.metadata = gguf.metadata();
    this.architecture = architecture;
  }

  /** Returns the architecture ({@code general.architecture}) after checking it is supported. */
  static String architecture(GgufFile gguf) {
    String architecture =
        gguf.metadata()
            .string("general.architecture")
            .orElseThrow(() -> fail(gguf, "has no metadata key 'general.architecture'"));
    if (family(architecture).isEmpty()) {
      throw fail(
          gguf,
          "has general.architecture '"
              + architecture
              + "', which this decoder does not run; supported: "
              + SUPPORTED);
    }
    return architecture;
  }

  private static Optional<DecoderFamily> family(String architecture) {
    return switch (architecture) {
      case "llama" -> Optional.of(DecoderFamily.LLAMA);
      case "qwen2" -> Optional.of(DecoderFamily.QWEN2);
      case "qwen3" -> Optional.of(DecoderFamily.QWEN3);
      case "phi3" -> Optional.of(DecoderFamily.PHI3);
      default -> Optional.empty();
    };
  }

  /**
   * Reads the configuration.
   *
   * @throws ModelLoadException naming the file and the key when one is missing, out of range or
   *     inconsistent, or the architecture or RoPE scaling is not supported
   */
  static DecoderConfig read(GgufFile gguf) {
    return new GgufDecoderConfig(gguf, architecture(gguf)).config();
  }

  private DecoderConfig config() {
    DecoderFamily family = family(architecture).orElseThrow();
    int width = required("embedding_length");
    int heads = required("attention.head_count");
    int keyValueHeads = optional("attention.head_count_kv").orElse(heads);
    int headWidth = optional("attention.key_length").orElse(width / Math.max(1, heads));
    int valueWidth = optional("attention.value_length").orElse(headWidth);
    if (valueWidth != headWidth) {
      throw fail(
          gguf,
          "has "
              + key("attention.value_length")
              + " "
              + valueWidth
              + " unlike the key length "
              + headWidth
              + ": not supported");
    }
    int contextLength = required("context_length");
    GgufTensorInfo embedding =
        gguf.tensor(TensorNames.TOKEN_EMBEDDING)
            .orElseThrow(() -> fail(gguf, "has no tensor '" + TensorNames.TOKEN_EMBEDDING + "'"));
    long[] embeddingShape = embedding.shape();
    if (embeddingShape.length != 2 || embeddingShape[0] > Integer.MAX_VALUE) {
      throw fail(
          gguf,
          "has tensor '"
              + TensorNames.TOKEN_EMBEDDING
              + "' of shape "
              + embedding.shapeText()
              + ", expected [vocab, "
              + width
              + "]");
    }
    boolean qkvBias = gguf.tensor(TensorNames.queryBias(0)).isPresent();
    if (family == DecoderFamily.QWEN2 && !qkvBias) {
      throw fail(gguf, "is qwen2 but has no tensor '" + TensorNames.queryBias(0) + "'");
    }
    try {
      return new DecoderConfig(
          family,
          required("block_count"),
          width,
          heads,
          keyValueHeads,
          headWidth,
          required("feed_forward_length"),
          (int) embeddingShape[0],
          contextLength,
          epsilon(),
          metadata.number(key("rope.freq_base")).orElse(10000.0),
          optional("rope.dimension_count").orElse(headWidth),
          ropeScaling(headWidth, contextLength),
          family == DecoderFamily.QWEN2 || family == DecoderFamily.QWEN3
              ? 0
              : optional("attention.sliding_window").orElse(0),
          qkvBias,
          gguf.tensor(TensorNames.attentionOutputBias(0)).isPresent(),
          family == DecoderFamily.QWEN3,
          gguf.tensor(TensorNames.OUTPUT).isEmpty(),
          tokenId("tokenizer.ggml.bos_token_id"),
          endOfTextIds(),
          DecoderConfig.Activation.SILU);
    } catch (IllegalArgumentException e) {
      throw fail(gguf, "has inconsistent hyper-parameters: " + e.getMessage());
    }
  }

  private String key(String suffix) {
    return architecture + "." + suffix;
  }

  private int required(String suffix) {
    return optional(suffix)
        .orElseThrow(() -> fail(gguf, "has no metadata key '" + key(suffix) + "'"));
  }

  private OptionalInt optional(String suffix) {
    return intValue(key(suffix), 1);
  }

  private OptionalInt intValue(String key, int minimum) {
    OptionalLong value = metadata.integer(key);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    if (value.getAsLong() < minimum || value.getAsLong() > Integer.MAX_VALUE) {
      throw fail(
          gguf,
          "has metadata key '"
              + key
              + "' = "
              + value.getAsLong()
              + ", outside "
              + minimum
              + " to "
              + Integer.MAX_VALUE);
    }
    return OptionalInt.of((int) value.getAsLong());
  }

  private OptionalInt tokenId(String key) {
    return intValue(key, 0);
  }

  private float epsilon() {
    String key = key("attention.layer_norm_rms_epsilon");
    float epsilon =
        (float)
            metadata.number(key).orElseThrow(() -> fail(gguf, "has no metadata key '" + key + "'"));
    if (!(epsilon > 0) || Float.isInfinite(epsilon)) {
      throw fail(gguf, "has metadata key '" + key + "' = " + epsilon + ", not positive and finite");
    }
    return epsilon;
  }

  /** The ids that end a reply: eos, and end-of-turn / end-of-message where the file names them. */
  private List<Integer> endOfTextIds() {
    List<Integer> ids = new ArrayList<>();
    for (String key :
        List.of(
            "tokenizer.ggml.eos_token_id",
            "tokenizer.ggml.eot_token_id",
            "tokenizer.ggml.eom_token_id")) {
      tokenId(key)
          .ifPresent(
              id -> {
                if (!ids.contains(id)) {
                  ids.add(id);
                }
              });
    }
    return ids;
  }

  private RopeScaling ropeScaling(int headWidth, int contextLength) {
    Optional<String> type = metadata.string(key("rope.scaling.type"));
    if (gguf.tensor("rope_factors_long.weight").isPresent()
        || type.filter("longrope"::equals).isPresent()) {
      throw fail(gguf, "uses longrope RoPE scaling (rope_factors_long.weight), not supported yet");
    }
    Optional<GgufTensorInfo> llama3 = gguf.tensor("rope_freqs.weight");
    if (llama3.isPresent()) {
      return Llama3RopeFactors.recover(
          gguf, llama3.get(), metadata.number(key("rope.freq_base")).orElse(10000.0), headWidth);
    }
    double linear = metadata.number(key("rope.scale_linear")).orElse(1.0);
    String kind = type.orElse(linear != 1.0 ? "linear" : "none");
    double factor = metadata.number(key("rope.scaling.factor")).orElse(linear);
    try {
      return switch (kind) {
        case "none" -> RopeScaling.NONE;
        case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, factor, 0, 0, 0, 0, 0, 1, true);
        case "yarn" -> yarn(factor, contextLength);
        default ->
            throw fail(
                gguf,
                "has metadata key '"
                    + key("rope.scaling.type")
                    + "' = '"
                    + kind
                    + "'; supported: none, linear, yarn (and llama3 as rope_freqs.weight)");
      };
    } catch (IllegalArgumentException e) {
      throw fail(gguf, "has an invalid RoPE scaling: " + e.getMessage());
    }
  }

  /**
   * YaRN with transformers' defaults: beta_fast 32, beta_slow 1, attention factor 0.1 ln(s) + 1.
   */
  private RopeScaling yarn(double factor, int contextLength) {
    double attention = metadata.number(key("rope.scaling.attn_factor")).orElse(1.0);
    if (attention != 1.0) {
      throw fail(
          gguf,
          "has metadata key '"
              + key("rope.scaling.attn_factor")
              + "' = "
              + attention
              + "; only YaRN's default attention factor is supported");
    }
    int original = intValue(key("rope.scaling.original_context_length"), 1).orElse(contextLength);
    return new RopeScaling(
        RopeScaling.Type.YARN,
        factor,
        original,
        0,
        0,
        metadata.number(key("rope.scaling.yarn_beta_fast")).orElse(32),
        metadata.number(key("rope.scaling.yarn_beta_slow")).orElse(1),
        factor <= 1 ? 1.0 : 0.1 * Math.log(factor) + 1.0,
        true);
  }

  static ModelLoadException fail(GgufFile gguf, String problem) {
    return new ModelLoadException("GGUF file " + gguf.file() + " " + problem);
  }
}
