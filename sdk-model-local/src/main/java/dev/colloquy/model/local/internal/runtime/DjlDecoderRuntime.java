package dev.colloquy.model.local.internal.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.RopeFrequencies;
import dev.colloquy.model.local.internal.decoder.TensorNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward pass of the Llama-style families (Llama, Mistral, Qwen2, Qwen3, Phi-3) as DJL array
 * operations on the PyTorch engine, on the CPU or a GPU: the same computation as {@link
 * JavaDecoderRuntime} (RMSNorm, scaled rotate-half RoPE, grouped-query attention with a sliding
 * window, q/k/v biases, per-head q/k RMSNorm, gated MLP, tied or separate head).
 *
 * <p>Design note. Invariants:
 *
 * <ul>
 *   <li>The weights are uploaded once, as F32, into one manager that is then capped: an operation
 *       whose result would land in it throws, so nothing is allocated there per token. (F16/BF16
 *       weights on the GPU, halving memory and bandwidth, are a later option: the arrays would be
 *       converted at upload and the norms and softmax kept in F32.)
 *   <li>q, k and v are one matrix {@code [width, q + 2 kv]}, gate and up another {@code [width, 2
 *       inner]}: one matrix product each per layer, fewer kernel launches on a GPU. Matrices are
 *       kept as PyTorch's Linear keeps them ({@code [out, in]}) and used through a transposed view.
 *   <li>Each sequence preallocates its KV cache ({@code [kvHeads, capacity, headWidth]} per layer,
 *       RoPE applied to keys) in its own capped manager; new keys and values are written into it in
 *       place and attention reads the visible span as a view.
 *   <li>One {@link GptSequence#append} is one child manager, closed at its end; each layer's
 *       temporaries live in a child of that, closed when the layer is done, so a long prompt holds
 *       one layer's temporaries at a time. Only the last position's logits are copied to Java.
 *   <li>Grouped-query attention reshapes the queries to {@code [kvHeads, group × rows, headWidth]}
 *       rather than repeating keys and values: query head h reads key/value head h / group, as
 *       transformers' {@code repeat_kv} does.
 * </ul>
 */
public final class DjlDecoderRuntime implements GptRuntime {

  private static final float HIDDEN = -1e9f;

  private final DecoderConfig config;
  private final Device device;
  private final NDManager manager;
  private final NDArray tokenEmbedding; // [vocab, width]
  private final NDArray lmHead; // [width, vocab]: a transposed view of the head or the embedding
  private final NDArray finalNorm; // [width]
  private final List<Layer> layers;
  private final float queryScale;

  /**
   * One block. Optional arrays are null when the family has none.
   *
   * @param attentionNorm [width]
   * @param queryKeyValue [width, q + 2 kv] (transposed view)
   * @param queryKeyValueBias [q + 2 kv] or null
   * @param queryNorm [headWidth] or null
   * @param keyNorm [headWidth] or null
   * @param output [q, width] (transposed view)
   * @param outputBias [width] or null
   * @param feedForwardNorm [width]
   * @param gateUp [width, 2 inner] (transposed view)
   * @param gateUpBias [2 inner] or null
   * @param down [inner, width] (transposed view)
   * @param downBias [width] or null
   */
  private record Layer(
      NDArray attentionNorm,
      NDArray queryKeyValue,
      NDArray queryKeyValueBias,
      NDArray queryNorm,
      NDArray keyNorm,
      NDArray output,
      NDArray outputBias,
      NDArray feedForwardNorm,
      NDArray gateUp,
      NDArray gateUpBias,
      NDArray down,
      NDArray downBias) {}

  /**
   * Copies the weights onto the device.
   *
   * @param weights the checkpoint; its arrays are copied, not kept
   * @param device where to run: {@code Device.cpu()} or {@code Device.gpu(n)}
   * @throws ModelLoadException if the PyTorch engine cannot start or the device does not exist
   */
  public DjlDecoderRuntime(DecoderWeights weights, Device device) {
    this.config = weights.config();
    this.device = device;
    Engine engine = DjlEnvironment.pytorch();
    if (device.isGpu() && device.getDeviceId() >= engine.getGpuCount()) {
      throw new ModelLoadException(
          "device "
              + device
              + " was asked for but PyTorch sees "
              + engine.getGpuCount()
              + " GPU(s): install a CUDA libtorch (docs/local.md) or choose cpu");
    }
    this.manager = engine.newBaseManager(device);
    try {
      int width = config.width();
      int vocabulary = config.vocabularySize();
      this.tokenEmbedding =
          matrix(weights.floats(TensorNames.TOKEN_EMBEDDING), vocabulary, width, false);
      this.lmHead =
          config.tiedEmbeddings()
              ? tokenEmbedding.transpose()
              : matrix(weights.floats(TensorNames.OUTPUT), vocabulary, width, true);
      this.finalNorm = vector(weights.floats(TensorNames.OUTPUT_NORM));
      List<Layer> uploaded = new ArrayList<>();
      for (int l = 0; l < config.layerCount(); l++) {
        uploaded.add(layer(weights, l));
      }
      this.layers = List.copyOf(uploaded);
      this.queryScale = (float) (1.0 / Math.sqrt(config.headWidth()));
      manager.cap();
    } catch (RuntimeException | Error e) {
      manager.close();
      throw e;
    }
  }

  private Layer layer(DecoderWeights weights, int l) {
    int width = config.width();
    int query = config.queryWidth();
    int keyValue = config.keyValueWidth();
    int inner = config.innerWidth();
    float[] qkv =
        concat(
            weights.floats(TensorNames.query(l)),
            weights.floats(TensorNames.key(l)),
            weights.floats(TensorNames.value(l)));
    float[] gateUp = concat(weights.floats(TensorNames.gate(l)), weights.floats(TensorNames.up(l)));
    return new Layer(
        vector(weights.floats(TensorNames.attentionNorm(l))),
        matrix(qkv, query + 2 * keyValue, width, true),
        config.queryKeyValueBias()
            ? vector(
                concat(
                    weights.floats(TensorNames.queryBias(l)),
                    weights.floats(TensorNames.keyBias(l)),
                    weights.floats(TensorNames.valueBias(l))))
            : null,
        config.queryKeyNorm() ? vector(weights.floats(TensorNames.queryNorm(l))) : null,
        config.queryKeyNorm() ? vector(weights.floats(TensorNames.keyNorm(l))) : null,
        matrix(weights.floats(TensorNames.attentionOutput(l)), width, query, true),
        config.outputBias() ? vector(weights.floats(TensorNames.attentionOutputBias(l))) : null,
        vector(weights.floats(TensorNames.feedForwardNorm(l))),
        matrix(gateUp, 2 * inner, width, true),
        config.feedForwardBias()
            ? vector(
                concat(
                    weights.floats(TensorNames.gateBias(l)), weights.floats(TensorNames.upBias(l))))
            : null,
        matrix(weights.floats(TensorNames.down(l)), width, inner, true),
        config.feedForwardBias() ? vector(weights.floats(TensorNames.downBias(l))) : null);
  }

  /** A row-major [rows, columns] matrix, or its transposed view [columns, rows]. */
  private NDArray matrix(float[] values, int rows, int columns, boolean transposed) {
    NDArray array = manager.create(values, new Shape(rows, columns));
    return transposed ? array.transpose() : array;
  }

  private NDArray vector(float[] values) {
    return manager.create(values, new Shape(values.length));
  }

  private static float[] concat(float[]... parts) {
    int size = 0;
    for (float[] part : parts) {
      size = Math.addExact(size, part.length);
    }
    float[] joined = new float[size];
    int at = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, joined, at, part.length);
      at += part.length;
    }
    return joined;
  }

  /**
   * cos and sin [capacity, rotaryWidth / 2] of a sequence's positions, with the same float
   * arithmetic as {@link JavaDecoderRuntime} (so both engines rotate by the same angles). The
   * frequencies are chosen once, by the capacity, as the Java engine does: longrope's short or long
   * factors for every position; dynamic NTK, which never passes the context, unscaled.
   */
  static float[][] rotationTables(DecoderConfig config, int capacity) {
    float[] inverse = RopeFrequencies.inverseFrequencies(config, capacity);
    float factor = RopeFrequencies.attentionFactor(config);
    int half = inverse.length;
    float[] cos = new float[Math.multiplyExact(capacity, half)];
    float[] sin = new float[cos.length];
    for (int position = 0; position < capacity; position++) {
      for (int i = 0; i < half; i++) {
        float angle = inverse[i] * (float) position;
        cos[position * half + i] = (float) Math.cos(angle) * factor;
        sin[position * half + i] = (float) Math.sin(angle) * factor;
      }
    }
    return new float[][] {cos, sin};
  }

  /** Returns the model's hyper-parameters. */
  public DecoderConfig config() {
    return config;
  }

  @Override
  public int contextLength() {
    return config.contextLength();
  }

  @Override
  public int vocabularySize() {
    return config.vocabularySize();
  }

  @Override
  public List<Integer> endOfTextIds() {
    return config.endOfTextIds();
  }

  @Override
  public GptSequence newSequence(int capacity) {
    SequenceBounds.checkCapacity(capacity, config.contextLength());
    return new DjlDecoderSequence(this, capacity);
  }

  @Override
  public String description() {
    return "djl-pytorch " + device + ", " + config.family().modelType();
  }

  @Override
  public void close() {
    manager.close();
  }

  NDManager manager() {
    return manager;
  }

  /** Token embeddings [rows, width] of {@code ids} [rows], into {@code step}. */
  NDArray embed(NDManager step, NDArray ids) {
    return tokenEmbedding.get(step, new NDIndex("{}", ids));
  }

  /**
   * What every block of one append shares.
   *
   * @param manager the append's arrays, closed at its end
   * @param length the positions already cached
   * @param rows the new positions
   * @param cos [rows, 1, rotaryWidth / 2] of the new positions
   * @param sin [rows, 1, rotaryWidth / 2]
   * @param fullMask {@link #mask} without a window, or null
   * @param windowMask {@link #mask} with the sliding window, or null
   */
  record Step(
      NDManager manager,
      int length,
      int rows,
      NDArray cos,
      NDArray sin,
      NDArray fullMask,
      NDArray windowMask) {}

  /**
   * One block over x [rows, width] at the step's new positions, its keys and values written into
   * the caches; returns the new residual stream, attached to the step's manager. The x passed in is
   * closed.
   */
  NDArray block(Step step, int layer, NDArray x, NDArray keyCache, NDArray valueCache) {
    Layer w = layers.get(layer);
    int rows = step.rows();
    int length = step.length();
    int end = length + rows;
    int window = config.slidingWindow(layer);
    int heads = config.headCount();
    int kvHeads = config.keyValueHeadCount();
    int headWidth = config.headWidth();
    try (NDManager scratch = step.manager().newSubManager()) {
      x.attach(scratch);
      NDArray qkv = rmsNorm(x, w.attentionNorm()).matMul(w.queryKeyValue()); // [rows, q + 2kv]
      if (w.queryKeyValueBias() != null) {
        qkv = qkv.add(w.queryKeyValueBias());
      }
      NDList parts =
          qkv.split(
              new long[] {config.queryWidth(), config.queryWidth() + config.keyValueWidth()}, 1);
      NDArray query = parts.get(0).reshape(rows, heads, headWidth);
      NDArray key = parts.get(1).reshape(rows, kvHeads, headWidth);
      NDArray value = parts.get(2).reshape(rows, kvHeads, headWidth);
      if (w.queryNorm() != null) {
        query = rmsNorm(query, w.queryNorm());
        key = rmsNorm(key, w.keyNorm());
      }
      query = rotate(query, step.cos(), step.sin()).transpose(1, 0, 2); // [heads, rows, headWidth]
      key = rotate(key, step.cos(), step.sin()).transpose(1, 0, 2); // [kvHeads, rows, headWidth]
      NDIndex fresh = new NDIndex(":, {}:{}, :", length, end);
      keyCache.set(fresh, key);
      valueCache.set(fresh, value.transpose(1, 0, 2));
      int first = firstVisible(length, window);
      NDArray mask = window == 0 ? step.fullMask() : step.windowMask();
      NDIndex visible = new NDIndex(":, {}:{}, :", first, end);
      NDArray keys = keyCache.get(scratch, visible); // [kvHeads, S, headWidth]
      NDArray values = valueCache.get(scratch, visible);
      int group = config.groupSize();
      NDArray scores =
          query
              .reshape(kvHeads, group * rows, headWidth)
              .matMul(keys.transpose(0, 2, 1))
              .mul(queryScale); // [kvHeads, group * rows, S]
      if (mask != null) {
        scores = scores.reshape(kvHeads, group, rows, end - first).add(mask);
        scores = scores.reshape(kvHeads, group * rows, end - first);
      }
      NDArray context =
          scores
              .softmax(-1)
              .matMul(values) // [kvHeads, group * rows, headWidth]
              .reshape(heads, rows, headWidth)
              .transpose(1, 0, 2)
              .reshape(rows, config.queryWidth());
      NDArray attention = context.matMul(w.output());
      if (w.outputBias() != null) {
        attention = attention.add(w.outputBias());
      }
      x = x.add(attention); // [rows, width]
      NDArray gateUpProduct = rmsNorm(x, w.feedForwardNorm()).matMul(w.gateUp()); // [rows, 2 inner]
      if (w.gateUpBias() != null) {
        gateUpProduct = gateUpProduct.add(w.gateUpBias());
      }
      NDList gateUp = gateUpProduct.split(2, 1);
      NDArray gate = gateUp.get(0);
      NDArray activated =
          config.activation() == DecoderConfig.Activation.SILU
              ? gate.mul(Activation.sigmoid(gate))
              : geluTanh(gate);
      NDArray down = activated.mul(gateUp.get(1)).matMul(w.down()); // [rows, width]
      if (w.downBias() != null) {
        down = down.add(w.downBias());
      }
      NDArray out = x.add(down);
      out.attach(step.manager());
      return out;
    }
  }

  /** The final norm and LM head of the last row of x [rows, width]: logits [vocab]. */
  float[] lastLogits(NDArray x) {
    long rows = x.getShape().get(0);
    NDArray last = x.get(new NDIndex("{}:", rows - 1)); // [1, width]
    return rmsNorm(last, finalNorm).matMul(lmHead).toFloatArray();
  }

  /** The first cached position that a query at {@code length} or later can see. */
  private static int firstVisible(int length, int window) {
    return window == 0 ? 0 : Math.max(0, length - window + 1);
  }

  /**
   * The additive mask [rows, S] for queries at {@code length…} over the keys they may see, from
   * {@link #firstVisible} to {@code length + rows - 1}: causal, and the sliding window (0 for
   * none); null when every key is visible to every query (one new token). Made once per step.
   */
  static NDArray mask(NDManager step, int rows, int length, int window) {
    int first = firstVisible(length, window);
    int end = length + rows;
    int span = end - first;
    float[] mask = new float[rows * span];
    boolean any = false;
    for (int t = 0; t < rows; t++) {
      int position = length + t;
      for (int s = 0; s < span; s++) {
        int key = first + s;
        if (key > position || (window > 0 && position - key >= window)) {
          mask[t * span + s] = HIDDEN;
          any = true;
        }
      }
    }
    return any ? step.create(mask, new Shape(rows, span)) : null;
  }

  /** RMSNorm over the last axis, then the weight: x / sqrt(mean(x²) + ε) × w. */
  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray rms = x.square().mean(new int[] {-1}, true).add(config.normEpsilon()).sqrt();
    return x.div(rms).mul(weight);
  }

  /** Rotate-half RoPE of the leading rotary dimensions of x [rows, heads, headWidth]. */
  private NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
    int half = config.rotaryWidth() / 2;
    NDArray first = x.get(new NDIndex("..., :{}", half));
    NDArray second = x.get(new NDIndex("..., {}:{}", half, 2 * half));
    NDArray rotated =
        first.mul(cos).sub(second.mul(sin)).concat(second.mul(cos).add(first.mul(sin)), -1);
    return config.rotaryWidth() == config.headWidth()
        ? rotated
        : rotated.concat(x.get(new NDIndex("..., {}:", 2 * half)), -1);
  }

  private static NDArray geluTanh(NDArray x) {
    float scale = (float) Math.sqrt(2.0 / Math.PI);
    NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul(scale).tanh();
    return x.mul(0.5f).mul(inner.add(1f));
  }
}
