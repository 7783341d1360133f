package dev.colloquy.model.local.internal.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPT-2 forward pass as a DJL NDArray graph on the PyTorch engine, on CPU or a GPU.
 *
 * <p>Each sequence preallocates its KV cache ([heads, capacity, headWidth] per layer) and writes
 * new keys and values into it in place; attention reads the filled prefix as a view, so nothing
 * is concatenated per step. Temporaries of each step live in an {@link NDScope} closed at its end.
 */
public final class DjlGptRuntime implements GptRuntime {

  private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

  private final GptConfig config;
  private final NDManager manager;
  private final Device device;
  private final NDArray tokenEmbedding; // [vocab, width]
  private final NDArray positionEmbedding; // [context, width]
  private final List<NDArray[]> layers; // per layer: the 12 tensors in GptWeights.Layer order
  private final NDArray finalNormWeight; // [width]
  private final NDArray finalNormBias; // [width]
  private final NDArray lmHeadTransposed; // [width, vocab], a view of [vocab, width]

  /**
   * Copies the weights onto the device.
   *
   * @param weights the checkpoint
   * @param device where to run: {@code Device.cpu()} or {@code Device.gpu(n)}
   * @throws ModelLoadException if the PyTorch engine cannot start or the device does not exist
   */
  public DjlGptRuntime(GptWeights weights, Device device) {
    DjlEnvironment.preferOffline();
    this.config = weights.config();
    this.device = device;
    Engine engine;
    try {
      engine = Engine.getEngine("PyTorch");
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new ModelLoadException("DJL's PyTorch engine did not start: " + e.getMessage() + ". Put "
          + "ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64) and pytorch-jni on the class path, or "
          + "set PYTORCH_LIBRARY_PATH to a libtorch folder (see docs/local.md)", e);
    }
    if (device.isGpu() && device.getDeviceId() >= engine.getGpuCount()) {
      throw new ModelLoadException("device " + device + " was asked for but PyTorch sees " + engine.getGpuCount()
          + " GPU(s): install a CUDA libtorch (docs/local.md) or choose cpu");
    }
    this.manager = engine.newBaseManager(device);
    int width = config.width();
    int inner = config.innerWidth();
    this.tokenEmbedding = create(weights.tokenEmbedding(), config.vocabularySize(), width);
    this.positionEmbedding = create(weights.positionEmbedding(), config.contextLength(), width);
    this.layers = new ArrayList<>();
    for (GptWeights.Layer w : weights.layers()) {
      layers.add(new NDArray[] {
          create(w.norm1Weight(), width), create(w.norm1Bias(), width),
          create(w.qkvWeight(), width, 3L * width), create(w.qkvBias(), 3L * width),
          create(w.attentionOutWeight(), width, width), create(w.attentionOutBias(), width),
          create(w.norm2Weight(), width), create(w.norm2Bias(), width),
          create(w.mlpInWeight(), width, inner), create(w.mlpInBias(), inner),
          create(w.mlpOutWeight(), inner, width), create(w.mlpOutBias(), width)});
    }
    this.finalNormWeight = create(weights.finalNormWeight(), width);
    this.finalNormBias = create(weights.finalNormBias(), width);
    NDArray lmHead = weights.lmHead() == weights.tokenEmbedding()
        ? tokenEmbedding : create(weights.lmHead(), config.vocabularySize(), width);
    this.lmHeadTransposed = lmHead.transpose();
  }

  private NDArray create(float[] values, long... shape) {
    return manager.create(values, new Shape(shape));
  }

  @Override
  public GptConfig config() {
    return config;
  }

  @Override
  public String description() {
    return "djl-pytorch " + device;
  }

  @Override
  public GptSequence newSequence(int capacity) {
    if (capacity < 1 || capacity > config.contextLength()) {
      throw new IllegalArgumentException("capacity must be 1 to " + config.contextLength() + ", was " + capacity);
    }
    return new Sequence(capacity);
  }

  @Override
  public void close() {
    manager.close();
  }

  private NDArray layerNorm(NDArray x, NDArray weight, NDArray bias) {
    return LayerNorm.layerNorm(x, new Shape(config.width()), weight, bias, config.layerNormEpsilon()).head();
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
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void close() {
      cacheManager.close();
    }

    @Override
    public float[] append(int[] tokens) {
      int rows = tokens.length;
      if (rows == 0 || length + rows > capacity) {
        throw new IllegalStateException("cannot append " + rows + " tokens to a sequence of " + length
            + " with capacity " + capacity);
      }
      long[] ids = new long[rows];
      for (int t = 0; t < rows; t++) {
        if (tokens[t] < 0 || tokens[t] >= config.vocabularySize()) {
          throw new IllegalArgumentException("token id " + tokens[t] + " is outside the vocabulary of "
              + config.vocabularySize());
        }
        ids[t] = tokens[t];
      }
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        int width = config.width();
        int heads = config.headCount();
        int headWidth = config.headWidth();
        int end = length + rows;
        NDArray x = tokenEmbedding.get(new NDIndex("{}", manager.create(ids)))
            .add(positionEmbedding.get(new NDIndex("{}:{}", length, end))); // [rows, width]
        NDArray mask = rows == 1 ? null : causalMask(rows, end); // [rows, end]
        for (int layer = 0; layer < config.layerCount(); layer++) {
          NDArray[] w = layers.get(layer);
          NDArray h = layerNorm(x, w[0], w[1]);
          NDList qkv = h.matMul(w[2]).add(w[3]).split(3, 1); // 3 × [rows, width]
          NDArray q = qkv.get(0).reshape(rows, heads, headWidth).transpose(1, 0, 2); // [heads, rows, headWidth]
          NDArray k = qkv.get(1).reshape(rows, heads, headWidth).transpose(1, 0, 2);
          NDArray v = qkv.get(2).reshape(rows, heads, headWidth).transpose(1, 0, 2);
          keys[layer].set(new NDIndex(":, {}:{}, :", length, end), k);
          values[layer].set(new NDIndex(":, {}:{}, :", length, end), v);
          NDArray visibleKeys = keys[layer].get(new NDIndex(":, :{}, :", end)); // [heads, end, headWidth]
          NDArray visibleValues = values[layer].get(new NDIndex(":, :{}, :", end));
          NDArray scores = q.matMul(visibleKeys.transpose(0, 2, 1)).div((float) Math.sqrt(headWidth)); // [heads, rows, end]
          if (mask != null) {
            scores = scores.add(mask);
          }
          NDArray context = scores.softmax(-1).matMul(visibleValues) // [heads, rows, headWidth]
              .transpose(1, 0, 2).reshape(rows, width);
          x = x.add(context.matMul(w[4]).add(w[5]));
          h = layerNorm(x, w[6], w[7]);
          NDArray hidden = h.matMul(w[8]).add(w[9]); // [rows, inner]
          x = x.add(geluTanh(hidden).matMul(w[10]).add(w[11]));
        }
        NDArray last = layerNorm(x.get(new NDIndex("{}:{}", rows - 1, rows)), finalNormWeight, finalNormBias); // [1, width]
        float[] logits = last.matMul(lmHeadTransposed).toFloatArray(); // [vocab]
        length = end;
        return logits;
      }
    }

    private NDArray causalMask(int rows, int end) {
      float[] mask = new float[rows * end];
      for (int t = 0; t < rows; t++) {
        for (int s = length + t + 1; s < end; s++) {
          mask[t * end + s] = Float.NEGATIVE_INFINITY;
        }
      }
      return manager.create(mask, new Shape(rows, end));
    }

    private NDArray geluTanh(NDArray x) {
      NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul(GELU_SCALE).tanh();
      return x.mul(0.5f).mul(inner.add(1f));
    }
  }
}
