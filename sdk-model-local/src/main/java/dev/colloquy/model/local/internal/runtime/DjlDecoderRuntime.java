package dev.colloquy.model.local.internal.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
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
 * <p>Design note. A decode step is a few hundred small operations, each a JNI call and (on a GPU) a
 * kernel launch, so their number sets the speed as much as the weights' bytes do. Invariants:
 *
 * <ul>
 *   <li>The weights are uploaded once, as F32, into one manager that is then capped: an operation
 *       whose result would land in it throws, so nothing is allocated there per token. Constants a
 *       step uses (ε, the GELU's factors, the rotate-half matrix) are arrays made there before the
 *       cap: a Java number in an operation would be uploaded each time (on a GPU, a host-to-device
 *       copy per use). (F16/BF16 weights on the GPU, halving memory and bandwidth, are a later
 *       option: the arrays would be converted at upload and the norms and softmax kept in F32.)
 *   <li>q, k and v are one matrix {@code [q + 2 kv, width]}, gate and up another {@code [2 inner,
 *       width]}, in PyTorch's Linear layout ({@code [out, in]}) for {@code linear}, which adds the
 *       bias in the same call. At upload, the RMSNorm weight before each of them is multiplied into
 *       its columns (and the final norm's into a separate head), so a norm is only x / rms(x); the
 *       query rows (or, with per-head q/k norms, the query norm's weight) are multiplied by
 *       1/√headWidth, so scores need no scaling.
 *   <li>Each sequence preallocates its KV cache ({@code [kvHeads, capacity, headWidth]} per layer,
 *       RoPE applied to keys) in its own capped manager; new keys and values are written into it in
 *       place and attention reads the visible span as a view. RoPE is x·cos + (x·R)·sin over
 *       queries and keys at once, R the rotate-half matrix ([-x2, x1], zero past the rotary width)
 *       and the tables full-width (cos 1 and sin 0 past it): the same roundings as rotating the
 *       halves.
 *   <li>One {@link GptSequence#append} is one child manager, closed at its end; with more than one
 *       new position each layer's temporaries live in a child of that, closed when the layer is
 *       done, so a long prompt holds one layer's temporaries at a time. Only the last position's
 *       logits are copied to Java. On the CPU each append runs libtorch's operations with {@link
 *       DjlEnvironment#cpuThreads()} intra-op threads.
 *   <li>Grouped-query attention reshapes the queries to {@code [kvHeads, group × rows, headWidth]}
 *       rather than repeating keys and values: query head h reads key/value head h / group, as
 *       transformers' {@code repeat_kv} does.
 * </ul>
 */
public final class DjlDecoderRuntime implements GptRuntime {

  private static final float HIDDEN = -1e9f;

  /** 2√(2/π): the tanh GELU is x·sigmoid(x·(GELU_LINEAR + GELU_CUBIC·x²)). */
  private static final float GELU_LINEAR = (float) (2 * Math.sqrt(2 / Math.PI));

  private static final float GELU_CUBIC = GELU_LINEAR * 0.044715f;

  private final DecoderConfig config;
  private final Device device;
  private final int cpuThreads; // 0 on a GPU
  private final NDManager manager;
  private final NDArray tokenEmbedding; // [vocab, width]
  private final NDArray lmHead; // [vocab, width]: the head (final norm folded in) or the embedding
  private final NDArray tiedFinalNorm; // [width] when the head is the embedding, else null
  private final NDArray rotateHalf; // [headWidth, headWidth]
  private final NDArray normEpsilon; // scalar
  private final NDArray geluLinear; // scalar
  private final NDArray geluCubic; // scalar
  private final List<Layer> layers;

  /**
   * One block, matrices in the {@code [out, in]} layout. Optional arrays are null when the family
   * has none.
   *
   * @param queryKeyValue [q + 2 kv, width], attention norm folded in
   * @param queryKeyValueBias [q + 2 kv] or null
   * @param queryKeyNorm [heads + kvHeads, 1, headWidth]: the query norm's weight for each query
   *     head, then the key norm's for each key head; or null
   * @param output [width, q]
   * @param outputBias [width] or null
   * @param gateUp [2 inner, width], feed-forward norm folded in
   * @param gateUpBias [2 inner] or null
   * @param down [width, inner]
   * @param downBias [width] or null
   */
  private record Layer(
      NDArray queryKeyValue,
      NDArray queryKeyValueBias,
      NDArray queryKeyNorm,
      NDArray output,
      NDArray outputBias,
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
    this.cpuThreads = device.isGpu() ? 0 : DjlEnvironment.cpuThreads();
    this.manager = engine.newBaseManager(device);
    try {
      int width = config.width();
      int vocabulary = config.vocabularySize();
      this.tokenEmbedding =
          manager.create(weights.floats(TensorNames.TOKEN_EMBEDDING), new Shape(vocabulary, width));
      float[] finalNorm = weights.floats(TensorNames.OUTPUT_NORM);
      if (config.tiedEmbeddings()) {
        this.lmHead = tokenEmbedding;
        this.tiedFinalNorm = vector(finalNorm);
      } else {
        this.lmHead = folded(weights.floats(TensorNames.OUTPUT), vocabulary, width, finalNorm);
        this.tiedFinalNorm = null;
      }
      this.rotateHalf =
          manager.create(rotateHalf(config), new Shape(config.headWidth(), config.headWidth()));
      this.normEpsilon = manager.create(config.normEpsilon());
      this.geluLinear = manager.create(GELU_LINEAR);
      this.geluCubic = manager.create(GELU_CUBIC);
      List<Layer> uploaded = new ArrayList<>();
      for (int l = 0; l < config.layerCount(); l++) {
        uploaded.add(layer(weights, l));
      }
      this.layers = List.copyOf(uploaded);
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
    float queryScale = (float) (1.0 / Math.sqrt(config.headWidth()));
    boolean headNorms = config.queryKeyNorm();
    NDArray qkv =
        folded(
            concat(
                weights.floats(TensorNames.query(l)),
                weights.floats(TensorNames.key(l)),
                weights.floats(TensorNames.value(l))),
            query + 2 * keyValue,
            width,
            weights.floats(TensorNames.attentionNorm(l)));
    NDArray qkvBias =
        config.queryKeyValueBias()
            ? vector(
                concat(
                    weights.floats(TensorNames.queryBias(l)),
                    weights.floats(TensorNames.keyBias(l)),
                    weights.floats(TensorNames.valueBias(l))))
            : null;
    NDArray queryKeyNorm = null;
    if (headNorms) {
      queryKeyNorm =
          headNorms(
              weights.floats(TensorNames.queryNorm(l)),
              weights.floats(TensorNames.keyNorm(l)),
              queryScale);
    } else {
      NDIndex queries = new NDIndex(":{}", query);
      try (NDArray queryRows = qkv.get(queries)) {
        queryRows.muli(queryScale);
      }
      if (qkvBias != null) {
        try (NDArray queryBias = qkvBias.get(queries)) {
          queryBias.muli(queryScale);
        }
      }
    }
    return new Layer(
        qkv,
        qkvBias,
        queryKeyNorm,
        manager.create(weights.floats(TensorNames.attentionOutput(l)), new Shape(width, query)),
        config.outputBias() ? vector(weights.floats(TensorNames.attentionOutputBias(l))) : null,
        folded(
            concat(weights.floats(TensorNames.gate(l)), weights.floats(TensorNames.up(l))),
            2 * inner,
            width,
            weights.floats(TensorNames.feedForwardNorm(l))),
        config.feedForwardBias()
            ? vector(
                concat(
                    weights.floats(TensorNames.gateBias(l)), weights.floats(TensorNames.upBias(l))))
            : null,
        manager.create(weights.floats(TensorNames.down(l)), new Shape(width, inner)),
        config.feedForwardBias() ? vector(weights.floats(TensorNames.downBias(l))) : null);
  }

  /**
   * A row-major [rows, columns] matrix with each column multiplied by {@code norm} (the RMSNorm
   * weight of its input), in place on the device.
   */
  private NDArray folded(float[] values, int rows, int columns, float[] norm) {
    NDArray matrix = manager.create(values, new Shape(rows, columns));
    try (NDArray weight = vector(norm)) {
      matrix.muli(weight);
    }
    return matrix;
  }

  /** The per-head norm weights, [heads + kvHeads, 1, headWidth]; the queries' scaled. */
  private NDArray headNorms(float[] queryNorm, float[] keyNorm, float queryScale) {
    int headWidth = config.headWidth();
    int heads = config.headCount();
    float[] joined = new float[(heads + config.keyValueHeadCount()) * headWidth];
    for (int h = 0; h < heads + config.keyValueHeadCount(); h++) {
      for (int i = 0; i < headWidth; i++) {
        joined[h * headWidth + i] = h < heads ? queryNorm[i] * queryScale : keyNorm[i];
      }
    }
    return manager.create(joined, new Shape(heads + config.keyValueHeadCount(), 1, headWidth));
  }

  /** R [headWidth, headWidth] with x·R = [-x2, x1, 0…] for the rotary halves x1, x2. */
  private static float[] rotateHalf(DecoderConfig config) {
    int headWidth = config.headWidth();
    int half = config.rotaryWidth() / 2;
    float[] matrix = new float[headWidth * headWidth];
    for (int i = 0; i < half; i++) {
      matrix[(i + half) * headWidth + i] = -1f; // output i takes -x[i + half]
      matrix[i * headWidth + i + half] = 1f; // output i + half takes x[i]
    }
    return matrix;
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
   * cos and sin [capacity, headWidth] of a sequence's positions, with the same float arithmetic as
   * {@link JavaDecoderRuntime} (so both engines rotate by the same angles): pair i's values at i
   * and i + rotaryWidth / 2, then cos 1 and sin 0 past the rotary width. The frequencies are chosen
   * once, by the capacity, as the Java engine does: longrope's short or long factors for every
   * position; dynamic NTK, which never passes the context, unscaled.
   */
  static float[][] rotationTables(DecoderConfig config, int capacity) {
    float[] inverse = RopeFrequencies.inverseFrequencies(config, capacity);
    float factor = RopeFrequencies.attentionFactor(config);
    int half = inverse.length;
    int headWidth = config.headWidth();
    float[] cos = new float[Math.multiplyExact(capacity, headWidth)];
    float[] sin = new float[cos.length];
    for (int position = 0; position < capacity; position++) {
      int row = position * headWidth;
      for (int i = 0; i < half; i++) {
        float angle = inverse[i] * (float) position;
        cos[row + i] = cos[row + half + i] = (float) Math.cos(angle) * factor;
        sin[row + i] = sin[row + half + i] = (float) Math.sin(angle) * factor;
      }
      for (int i = 2 * half; i < headWidth; i++) {
        cos[row + i] = 1f;
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

  /** Sets libtorch's threads for the calling thread's step (CPU only). */
  void beginStep() {
    if (cpuThreads > 0) {
      DjlEnvironment.useThreads(cpuThreads);
    }
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
   * @param cos [rows, headWidth] of the new positions
   * @param sin [rows, headWidth]
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
   * the caches; returns the new residual stream, attached to the step's manager.
   */
  NDArray block(Step step, int layer, NDArray x, NDArray keyCache, NDArray valueCache) {
    int rows = step.rows();
    if (rows == 1) {
      return blockIn(step.manager(), step, layers.get(layer), layer, x, keyCache, valueCache);
    }
    // A prompt's temporaries (scores: [kvHeads, group × rows, S]) are freed layer by layer.
    try (NDManager scratch = step.manager().newSubManager()) {
      x.attach(scratch);
      NDArray out = blockIn(scratch, step, layers.get(layer), layer, x, keyCache, valueCache);
      out.attach(step.manager());
      return out;
    }
  }

  private NDArray blockIn(
      NDManager scratch,
      Step step,
      Layer w,
      int layer,
      NDArray x,
      NDArray keyCache,
      NDArray valueCache) {
    int rows = step.rows();
    int length = step.length();
    int end = length + rows;
    int window = config.slidingWindow(layer);
    int heads = config.headCount();
    int kvHeads = config.keyValueHeadCount();
    int headWidth = config.headWidth();
    NDList queryKeyAndValue =
        Linear.linear(rmsNorm(x), w.queryKeyValue(), w.queryKeyValueBias())
            .head() // [rows, q + 2 kv]
            .reshape(rows, heads + 2L * kvHeads, headWidth)
            .transpose(1, 0, 2)
            .split(new long[] {heads + kvHeads}, 0);
    NDArray queryKey = queryKeyAndValue.get(0); // [heads + kvHeads, rows, headWidth]
    if (w.queryKeyNorm() != null) {
      queryKey = rmsNorm(queryKey).mul(w.queryKeyNorm());
    }
    queryKey = queryKey.mul(step.cos()).add(queryKey.matMul(rotateHalf).mul(step.sin()));
    NDList queryAndKey = queryKey.split(new long[] {heads}, 0);
    NDIndex fresh = new NDIndex(":, {}:{}, :", length, end);
    keyCache.set(fresh, queryAndKey.get(1));
    valueCache.set(fresh, queryKeyAndValue.get(1));
    int first = firstVisible(length, window);
    NDArray mask = window == 0 ? step.fullMask() : step.windowMask();
    NDIndex visible = new NDIndex(":, {}:{}, :", first, end);
    NDArray keys = keyCache.get(scratch, visible); // [kvHeads, S, headWidth]
    NDArray values = valueCache.get(scratch, visible);
    int group = config.groupSize();
    NDArray scores =
        queryAndKey
            .get(0)
            .reshape(kvHeads, group * rows, headWidth)
            .matMul(keys.transpose(0, 2, 1)); // [kvHeads, group * rows, S], queries pre-scaled
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
    x = x.add(Linear.linear(context, w.output(), w.outputBias()).head()); // [rows, width]
    NDList gateUp =
        Linear.linear(rmsNorm(x), w.gateUp(), w.gateUpBias())
            .head()
            .split(2, 1); // 2 × [rows, inner]
    NDArray gate = gateUp.get(0);
    NDArray activated =
        config.activation() == DecoderConfig.Activation.SILU
            ? gate.mul(Activation.sigmoid(gate))
            : gate.mul(Activation.sigmoid(gate.square().mul(geluCubic).add(geluLinear).mul(gate)));
    return x.add(Linear.linear(activated.mul(gateUp.get(1)), w.down(), w.downBias()).head());
  }

  /** The final norm and LM head of the last row of x [rows, width]: logits [vocab]. */
  float[] lastLogits(NDArray x) {
    long rows = x.getShape().get(0);
    NDArray normed = rmsNorm(rows == 1 ? x : x.get(new NDIndex("{}:", rows - 1))); // [1, width]
    if (tiedFinalNorm != null) {
      normed = normed.mul(tiedFinalNorm);
    }
    return Linear.linear(normed, lmHead).head().toFloatArray();
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

  /** x / sqrt(mean(x²) + ε) over the last axis; the weight is folded into what follows. */
  private NDArray rmsNorm(NDArray x) {
    return x.div(x.square().mean(new int[] {-1}, true).add(normEpsilon).sqrt());
  }
}
