package dev.colloquy.model.local.internal.decoder;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoder's weights by canonical name ({@link TensorNames}), checked complete and of the right
 * sizes for their configuration. Every format's loader produces one: Hugging Face safetensors
 * ({@link SafetensorsDecoderReader}) and GGUF (dequantized).
 *
 * <p>Today every tensor is F32, widened on load. The next step computes on compressed weights
 * (F16/BF16 rows, GGUF quantized blocks) without widening: this class is the place to hold those
 * encodings, behind {@link #floats(String)} for the code that wants floats; the engine packs from
 * it and keeps nothing of it.
 */
public final class DecoderWeights {

  private final DecoderConfig config;
  private final Map<String, float[]> tensors;

  /**
   * @param config the hyper-parameters the tensors fit
   * @param tensors every tensor of {@link TensorNames#expected(DecoderConfig)}, by canonical name,
   *     row-major; the arrays are kept, not copied
   * @throws IllegalArgumentException naming the tensor when one is missing, unknown or of the wrong
   *     size
   */
  public DecoderWeights(DecoderConfig config, Map<String, float[]> tensors) {
    Map<String, long[]> expected = TensorNames.expected(config);
    for (Map.Entry<String, long[]> entry : expected.entrySet()) {
      float[] values = tensors.get(entry.getKey());
      if (values == null) {
        throw new IllegalArgumentException("tensor '" + entry.getKey() + "' is missing");
      }
      long size = Arrays.stream(entry.getValue()).reduce(1, Math::multiplyExact);
      if (values.length != size) {
        throw new IllegalArgumentException(
            "tensor '"
                + entry.getKey()
                + "' has "
                + values.length
                + " values but its shape "
                + Arrays.toString(entry.getValue())
                + " needs "
                + size);
      }
    }
    for (String name : tensors.keySet()) {
      if (!expected.containsKey(name)) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' is not part of this " + config.family() + " configuration");
      }
    }
    this.config = config;
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /** Returns the hyper-parameters. */
  public DecoderConfig config() {
    return config;
  }

  /**
   * Returns a tensor as floats, row-major; the array is shared, not copied.
   *
   * @throws IllegalArgumentException if this configuration has no such tensor
   */
  public float[] floats(String canonicalName) {
    float[] values = tensors.get(canonicalName);
    if (values == null) {
      throw new IllegalArgumentException("no tensor '" + canonicalName + "'");
    }
    return values;
  }

  /** Returns the LM head [vocab, width]: {@link TensorNames#OUTPUT}, or the embedding when tied. */
  public float[] lmHead() {
    return floats(config.tiedEmbeddings() ? TensorNames.TOKEN_EMBEDDING : TensorNames.OUTPUT);
  }
}
