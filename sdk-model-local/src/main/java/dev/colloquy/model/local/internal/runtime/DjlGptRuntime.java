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
import ai.djl.nn.norm.LayerNorm;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPT-2 forward pass as DJL array operations on the PyTorch engine, on CPU or a GPU: the
 * function {@link GptLayers} defines for the trainer, computed step by step with a KV cache.
 *
 * <p>Design note. A decode step is a few hundred small operations, each a JNI call and (on a GPU) a
 * kernel launch, so their number sets the speed as much as the weights' bytes do. Invariants:
 *
 * <ul>
 *   <li>The weights are uploaded once ({@link GptParameters}, as the trainer holds them) into one
 *       manager that is then capped, so nothing is allocated there per token. Everything a step
 *       needs from them is made before the cap: the transposed views that {@code linear} takes
 *       ({@code [out, in]}), and the GELU's constants as arrays on the device (a Java number in an
 *       operation would be uploaded each time: on a GPU, a host-to-device copy per use).
 *   <li>The query columns of each q/k/v projection are multiplied by 1/√headWidth at upload, so
 *       attention scores need no scaling per step (exact for GPT-2's head width 64).
 *   <li>Activations are {@code [rows, width]}, no batch axis. Each sequence preallocates its KV
 *       cache ({@code [heads, capacity, headWidth]} per layer) in a capped manager of its own; new
 *       keys and values are written in place and attention reads the filled prefix as a view.
 *   <li>One {@link GptSequence#append} is one child manager, closed at its end; only the last
 *       position's logits are copied back.
 *   <li>On the CPU each append runs libtorch's operations with {@link DjlEnvironment#cpuThreads()}
 *       intra-op threads.
 * </ul>
 */
public final class DjlGptRuntime implements GptRuntime {

  /** 2√(2/π): GPT-2's GELU is x·sigmoid(x·(GELU_LINEAR + GELU_CUBIC·x²)). */
  private static final float GELU_LINEAR = (float) (2 * Math.sqrt(2 / Math.PI));

  private static final float GELU_CUBIC = GELU_LINEAR * 0.044715f;

  private final GptConfig config;
  private final NDManager manager;
  private final Device device;
  private final int cpuThreads; // 0 on a GPU
  private final GptParameters parameters;
  private final List<Projections> projections;
  private final NDArray lmHead; // [width, vocab] (transposed view)
  private final NDArray geluLinear; // scalar
  private final NDArray geluCubic; // scalar
  private final Shape normShape;

  /**
   * A block's matrices as {@code linear} takes them, transposed views of the parameters.
   *
   * @param queryKeyValue [3 × width, width], query rows scaled by 1/√headWidth
   * @param output [width, width]
   * @param mlpIn [inner, width]
   * @param mlpOut [width, inner]
   */
  private record Projections(
      NDArray queryKeyValue, NDArray output, NDArray mlpIn, NDArray mlpOut) {}

  /**
   * Copies the weights onto the device.
   *
   * @param weights the checkpoint
   * @param device where to run: {@code Device.cpu()} or {@code Device.gpu(n)}
   * @throws ModelLoadException if the PyTorch engine cannot start or the device does not exist
   */
  public DjlGptRuntime(GptWeights weights, Device device) {
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
      this.parameters = GptParameters.create(weights, manager);
      float queryScale = (float) (1.0 / Math.sqrt(config.headWidth()));
      NDIndex queryColumns = new NDIndex("..., :{}", config.width());
      List<Projections> views = new ArrayList<>();
      for (GptParameters.Layer layer : parameters.layers()) {
        // In place on views of this runtime's own copies: the checkpoint's arrays are untouched.
        try (NDArray queryWeight = layer.qkvWeight().get(queryColumns);
            NDArray queryBias = layer.qkvBias().get(queryColumns)) {
          queryWeight.muli(queryScale);
          queryBias.muli(queryScale);
        }
        views.add(
            new Projections(
                layer.qkvWeight().transpose(),
                layer.attentionOutWeight().transpose(),
                layer.mlpInWeight().transpose(),
                layer.mlpOutWeight().transpose()));
      }
      this.projections = List.copyOf(views);
      this.lmHead = parameters.lmHead().transpose();
      this.geluLinear = manager.create(GELU_LINEAR);
      this.geluCubic = manager.create(GELU_CUBIC);
      this.normShape = new Shape(config.width());
      manager.cap();
    } catch (RuntimeException | Error e) {
      manager.close();
      throw e;
    }
  }

  /** Returns the model's hyper-parameters. */
  public GptConfig config() {
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
    return List.of(config.endOfTextId());
  }

  @Override
  public String description() {
    return "djl-pytorch " + device;
  }

  @Override
  public GptSequence newSequence(int capacity) {
    SequenceBounds.checkCapacity(capacity, config.contextLength());
    return new Sequence(capacity);
  }

  @Override
  public void close() {
    manager.close();
  }

  /** The weights' manager, for tests that check nothing is left in it. */
  NDManager manager() {
    return manager;
  }

  /** One block over x [rows, width]; writes the new keys and values into the caches. */
  private NDArray block(
      int layer, NDArray x, int length, NDArray mask, NDArray keyCache, NDArray valueCache) {
    GptParameters.Layer w = parameters.layers().get(layer);
    Projections p = projections.get(layer);
    int rows = Math.toIntExact(x.getShape().get(0));
    int end = length + rows;
    NDArray qkv =
        Linear.linear(norm(x, w.norm1Weight(), w.norm1Bias()), p.queryKeyValue(), w.qkvBias())
            .head();
    NDList heads =
        qkv.reshape(rows, 3L * config.headCount(), config.headWidth())
            .transpose(1, 0, 2)
            .split(3, 0); // 3 × [heads, rows, headWidth]
    NDIndex fresh = new NDIndex(":, {}:{}, :", length, end);
    keyCache.set(fresh, heads.get(1));
    valueCache.set(fresh, heads.get(2));
    NDManager step = x.getManager();
    NDIndex visible = new NDIndex(":, :{}, :", end);
    NDArray keys = keyCache.get(step, visible); // [heads, end, headWidth]
    NDArray values = valueCache.get(step, visible);
    NDArray scores = heads.get(0).matMul(keys.transpose(0, 2, 1)); // [heads, rows, end]
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray context =
        scores
            .softmax(-1)
            .matMul(values) // [heads, rows, headWidth]
            .transpose(1, 0, 2)
            .reshape(rows, config.width());
    x = x.add(Linear.linear(context, p.output(), w.attentionOutBias()).head());
    NDArray hidden =
        Linear.linear(norm(x, w.norm2Weight(), w.norm2Bias()), p.mlpIn(), w.mlpInBias())
            .head(); // [rows, inner]
    NDArray gelu =
        hidden.mul(Activation.sigmoid(hidden.square().mul(geluCubic).add(geluLinear).mul(hidden)));
    return x.add(Linear.linear(gelu, p.mlpOut(), w.mlpOutBias()).head());
  }

  private NDArray norm(NDArray x, NDArray weight, NDArray bias) {
    return LayerNorm.layerNorm(x, normShape, weight, bias, config.layerNormEpsilon()).head();
  }

  /** One sequence: a preallocated KV cache per layer. */
  private final class Sequence implements GptSequence {
    private final NDManager cacheManager = manager.newSubManager();
    private final int capacity;
    private final NDArray[] keys; // per layer: [heads, capacity, headWidth]
    private final NDArray[] values; // per layer: [heads, capacity, headWidth]
    private int length;

    Sequence(int capacity) {
      this.capacity = capacity;
      this.keys = new NDArray[config.layerCount()];
      this.values = new NDArray[config.layerCount()];
      Shape cacheShape = new Shape(config.headCount(), capacity, config.headWidth());
      for (int layer = 0; layer < config.layerCount(); layer++) {
        keys[layer] = cacheManager.zeros(cacheShape);
        values[layer] = cacheManager.zeros(cacheShape);
      }
      cacheManager.cap();
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public int capacity() {
      return capacity;
    }

    @Override
    public long cacheBytes() {
      return 2L * Float.BYTES * config.layerCount() * keys[0].getShape().size();
    }

    @Override
    public void truncate(int newLength) {
      SequenceBounds.checkPrefix(newLength, length);
      length = newLength; // later appends overwrite the forgotten positions
    }

    @Override
    public GptSequence copy(int prefix, int newCapacity) {
      SequenceBounds.checkCopy(prefix, length, newCapacity, config.contextLength());
      Sequence copy = new Sequence(newCapacity);
      if (prefix > 0) {
        try (NDManager step = manager.newSubManager()) {
          NDIndex cached = new NDIndex(":, :{}, :", prefix);
          for (int layer = 0; layer < config.layerCount(); layer++) {
            copy.keys[layer].set(cached, keys[layer].get(step, cached));
            copy.values[layer].set(cached, values[layer].get(step, cached));
          }
        }
      }
      copy.length = prefix;
      return copy;
    }

    @Override
    public void close() {
      cacheManager.close();
    }

    @Override
    public float[] append(int[] tokens) {
      SequenceBounds.checkAppend(tokens, length, capacity, config.vocabularySize());
      if (cpuThreads > 0) {
        DjlEnvironment.useThreads(cpuThreads);
      }
      int rows = tokens.length;
      int end = length + rows;
      try (NDManager step = cacheManager.newSubManager()) {
        NDArray x =
            parameters
                .tokenEmbedding()
                .get(step, new NDIndex("{}", step.create(tokens)))
                .add(parameters.positionEmbedding().get(step, new NDIndex("{}:{}", length, end)));
        NDArray mask = rows == 1 ? null : GptLayers.causalMask(step, rows, length); // [rows, end]
        for (int layer = 0; layer < config.layerCount(); layer++) {
          x = block(layer, x, length, mask, keys[layer], values[layer]);
        }
        NDArray last = rows == 1 ? x : x.get(new NDIndex("{}:", rows - 1)); // [1, width]
        float[] logits =
            norm(last, parameters.finalNormWeight(), parameters.finalNormBias())
                .matMul(lmHead)
                .toFloatArray(); // [vocab]
        length = end;
        return logits;
      }
    }
  }
}
