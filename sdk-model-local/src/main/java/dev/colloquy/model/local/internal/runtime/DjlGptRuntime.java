package dev.colloquy.model.local.internal.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;

/**
 * The GPT-2 forward pass as a DJL NDArray graph on the PyTorch engine, on CPU or a GPU.
 *
 * <p>The layers are {@link GptLayers}, the same code the trainer runs. Each sequence preallocates
 * its KV cache ([1, heads, capacity, headWidth] per layer) and writes new keys and values into it
 * in place; attention reads the filled prefix as a view, so nothing is concatenated per step.
 * Temporaries of each step live in an {@link NDScope} closed at its end.
 */
public final class DjlGptRuntime implements GptRuntime {

  private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

  private final GptConfig config;
  private final NDManager manager;
  private final Device device;
  private final GptParameters parameters;

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
    this.manager = engine.newBaseManager(device);
    this.parameters = GptParameters.create(weights, manager);
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
  public java.util.List<Integer> endOfTextIds() {
    return java.util.List.of(config.endOfTextId());
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

  /** One sequence: a preallocated KV cache per layer. */
  private final class Sequence implements GptSequence {
    private final NDManager cacheManager = manager.newSubManager();
    private final int capacity;
    private final NDArray[] keys; // per layer: [1, heads, capacity, headWidth]
    private final NDArray[] values; // per layer: [1, heads, capacity, headWidth]
    private int length;

    Sequence(int capacity) {
      this.capacity = capacity;
      this.keys = new NDArray[config.layerCount()];
      this.values = new NDArray[config.layerCount()];
      Shape cacheShape = new Shape(1, config.headCount(), capacity, config.headWidth());
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
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDIndex cached = new NDIndex(":, :, :{}, :", prefix);
          for (int layer = 0; layer < config.layerCount(); layer++) {
            copy.keys[layer].set(cached, keys[layer].get(cached));
            copy.values[layer].set(cached, values[layer].get(cached));
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
      int rows = tokens.length;
      long[] ids = new long[rows];
      for (int t = 0; t < rows; t++) {
        ids[t] = tokens[t];
      }
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        int end = length + rows;
        NDArray x =
            GptLayers.embed(
                parameters, manager.create(ids).reshape(1, rows), length); // [1, rows, width]
        NDArray mask =
            rows == 1 ? null : GptLayers.causalMask(manager, rows, length); // [rows, end]
        for (int layer = 0; layer < config.layerCount(); layer++) {
          GptParameters.Layer w = parameters.layers().get(layer);
          NDList qkv = GptLayers.queryKeyValue(config, w, x); // 3 × [1, heads, rows, headWidth]
          keys[layer].set(new NDIndex(":, :, {}:{}, :", length, end), qkv.get(1));
          values[layer].set(new NDIndex(":, :, {}:{}, :", length, end), qkv.get(2));
          NDArray visibleKeys =
              keys[layer].get(new NDIndex(":, :, :{}, :", end)); // [1, heads, end, headWidth]
          NDArray visibleValues = values[layer].get(new NDIndex(":, :, :{}, :", end));
          x =
              GptLayers.attentionResidual(
                  w, x, GptLayers.attend(config, qkv.get(0), visibleKeys, visibleValues, mask));
          x = GptLayers.mlpResidual(config, w, x);
        }
        NDArray last = x.get(new NDIndex(":, {}:{}, :", rows - 1, rows)); // [1, 1, width]
        float[] logits = GptLayers.logits(parameters, last).toFloatArray(); // [vocab]
        length = end;
        return logits;
      }
    }
  }
}
