package dev.colloquy.model.local.internal.decoder;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Llama-style decoder families this runtime loads, each named as Hugging Face's {@code
 * model_type} and {@code architectures} name it. GPT-2 is not one: it keeps its own path ({@code
 * GptConfig}, {@code JavaGptRuntime}).
 */
public enum DecoderFamily {
  /** Llama 2/3.x, TinyLlama, SmolLM/SmolLM2: the base design. */
  LLAMA("llama", "LlamaForCausalLM"),
  /** Mistral: Llama with an optional sliding attention window. */
  MISTRAL("mistral", "MistralForCausalLM"),
  /** Qwen2/2.5: Llama with q/k/v biases. */
  QWEN2("qwen2", "Qwen2ForCausalLM"),
  /** Qwen3: Llama with a per-head RMSNorm on queries and keys. */
  QWEN3("qwen3", "Qwen3ForCausalLM"),
  /** Phi-3/Phi-4-mini: fused qkv and gate/up projections in the files, partial rotary. */
  PHI3("phi3", "Phi3ForCausalLM");

  private final String modelType;
  private final String architecture;

  DecoderFamily(String modelType, String architecture) {
    this.modelType = modelType;
    this.architecture = architecture;
  }

  /** Returns Hugging Face's {@code model_type}, e.g. {@code "qwen2"}. */
  public String modelType() {
    return modelType;
  }

  /** Returns Hugging Face's class in {@code architectures}, e.g. {@code "Qwen2ForCausalLM"}. */
  public String architecture() {
    return architecture;
  }

  /** Returns the family whose {@code model_type} is {@code modelType}. */
  public static Optional<DecoderFamily> ofModelType(String modelType) {
    return Arrays.stream(values()).filter(f -> f.modelType.equals(modelType)).findFirst();
  }

  /** Returns the family whose architecture class is {@code architecture}. */
  public static Optional<DecoderFamily> ofArchitecture(String architecture) {
    return Arrays.stream(values()).filter(f -> f.architecture.equals(architecture)).findFirst();
  }

  /** Lists the supported families for messages: {@code llama (LlamaForCausalLM), ...}. */
  public static String supported() {
    return Arrays.stream(values())
        .map(f -> f.modelType + " (" + f.architecture + ")")
        .collect(Collectors.joining(", "));
  }
}
