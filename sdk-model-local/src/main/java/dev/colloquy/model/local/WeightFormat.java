package dev.colloquy.model.local;

/**
 * How the Java engine keeps a model's matrices once loaded, GPT-2 and the Llama-style families
 * alike (see {@link LocalGptModel.Builder#weights(WeightFormat)}).
 */
public enum WeightFormat {
  /**
   * As the checkpoint stores them: F32, F16 and BF16 as they are (16-bit kept 16-bit), GGUF's Q8_0,
   * Q4_0, Q4_K and Q6_K blocks as they are; other GGUF block types are widened to F32.
   */
  AS_STORED,

  /**
   * Every F32, F16 or BF16 matrix whose rows are whole blocks of 32 is quantized at load to Q8_0
   * (8-bit values with one scale per 32): about a quarter of F32's memory and bytes read per token,
   * at a small accuracy cost (measured in docs/local.md). Norms, biases and matrices already
   * quantized stay as they are. For GPT-2 this needs the Java engine.
   */
  Q8_0
}
