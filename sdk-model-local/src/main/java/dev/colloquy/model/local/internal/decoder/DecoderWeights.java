package dev.colloquy.model.local.internal.decoder;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoder's weights by canonical name ({@link TensorNames}), checked complete and of the right
 * sizes for their configuration. Every format's loader produces one: Hugging Face safetensors
 * ({@link SafetensorsDecoderReader}) and GGUF.
 *
 * <p>Each tensor keeps the encoding it was loaded in ({@link WeightTensor}: F32, F32 matrices
 * packed for the Java engine, F16/BF16 16-bit, GGUF's Q8_0/Q4_0 blocks), so the engine computes on
 * it in place; {@link #floats(String)} widens for the code that wants floats (norms, biases, the
 * DJL engine).
 */
public final class DecoderWeights {

  private final DecoderConfig config;
  private final Map<String, WeightTensor> tensors;

  /**
   * @param config the hyper-parameters the tensors fit
   * @param tensors every tensor of {@link TensorNames#expected(DecoderConfig)}, by canonical name,
   *     row-major; the arrays are kept, not copied
   * @throws IllegalArgumentException naming the tensor when one is missing, unknown or of the wrong
   *     size
   */
  public static DecoderWeights ofFloats(DecoderConfig config, Map<String, float[]> tensors) {
    Map<String, WeightTensor> wrapped = new LinkedHashMap<>();
    tensors.forEach((name, values) -> wrapped.put(name, new WeightTensor.F32(values)));
    return new DecoderWeights(config, wrapped);
  }

  /**
   * @param config the hyper-parameters the tensors fit
   * @param tensors every tensor of {@link TensorNames#expected(DecoderConfig)}, by canonical name,
   *     row-major, in any encoding; kept, not copied
   * @throws IllegalArgumentException naming the tensor when one is missing, unknown or of the wrong
   *     size
   */
  public DecoderWeights(DecoderConfig config, Map<String, WeightTensor> tensors) {
    Map<String, long[]> expected = TensorNames.expected(config);
    for (Map.Entry<String, long[]> entry : expected.entrySet()) {
      WeightTensor values = tensors.get(entry.getKey());
      if (values == null) {
        throw new IllegalArgumentException("tensor '" + entry.getKey() + "' is missing");
      }
      long size = Arrays.stream(entry.getValue()).reduce(1, Math::multiplyExact);
      if (values.size() != size) {
        throw new IllegalArgumentException(
            "tensor '"
                + entry.getKey()
                + "' has "
                + values.size()
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
   * Returns a tensor as floats, row-major: the array itself when it is row-major F32 (shared, not
   * copied), else a new unpacked, widened or dequantized copy.
   *
   * @throws IllegalArgumentException if this configuration has no such tensor
   */
  public float[] floats(String canonicalName) {
    return tensor(canonicalName).toFloats();
  }

  /**
   * Returns a tensor in the encoding it is kept in.
   *
   * @throws IllegalArgumentException if this configuration has no such tensor
   */
  public WeightTensor tensor(String canonicalName) {
    WeightTensor values = tensors.get(canonicalName);
    if (values == null) {
      throw new IllegalArgumentException("no tensor '" + canonicalName + "'");
    }
    return values;
  }

  /**
   * Returns the LM head [vocab, width] as floats: the output tensor, or the embedding when tied.
   */
  public float[] lmHead() {
    return floats(lmHeadName());
  }

  /** Returns the LM head [vocab, width] in its encoding. */
  public WeightTensor lmHeadTensor() {
    return tensor(lmHeadName());
  }

  private String lmHeadName() {
    return config.tiedEmbeddings() ? TensorNames.TOKEN_EMBEDDING : TensorNames.OUTPUT;
  }

  /** The bytes every tensor holds, in its encoding. */
  public long byteSize() {
    return tensors.values().stream().mapToLong(WeightTensor::byteSize).sum();
  }

  /**
   * Returns these weights with every matrix (every 2-D tensor whose rows are whole blocks of 32)
   * quantized to Q8_0 and the rest (norms, biases, odd-width matrices, matrices already in Q8_0 or
   * Q4_0) as they are. Quantizes one tensor at a time, so the extra memory is one tensor's worth.
   */
  public DecoderWeights quantizedToQ8_0() {
    Map<String, long[]> expected = TensorNames.expected(config);
    Map<String, WeightTensor> quantized = new LinkedHashMap<>();
    for (Map.Entry<String, WeightTensor> entry : tensors.entrySet()) {
      long[] shape = expected.get(entry.getKey());
      WeightTensor tensor = entry.getValue();
      boolean matrix = shape.length == 2 && shape[1] % WeightTensor.BLOCK == 0;
      boolean dense =
          tensor instanceof WeightTensor.F32
              || tensor instanceof WeightTensor.PackedF32
              || tensor instanceof WeightTensor.Halves;
      quantized.put(
          entry.getKey(),
          matrix && dense ? WeightTensor.quantizeQ8_0(tensor, (int) shape[1]) : tensor);
    }
    return new DecoderWeights(config, quantized);
  }

  /** The encodings of the tensors, each with the number of tensors in it, e.g. {F32=5, Q8_0=14}. */
  public Map<String, Integer> encodings() {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    tensors.values().forEach(tensor -> counts.merge(tensor.encoding(), 1, Integer::sum));
    return counts;
  }
}
