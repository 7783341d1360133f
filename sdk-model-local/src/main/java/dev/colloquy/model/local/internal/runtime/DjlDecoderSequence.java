package dev.colloquy.model.local.internal.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.RopeFrequencies;
import java.util.Arrays;

/**
 * One sequence of a {@link DjlDecoderRuntime}: the KV cache of every layer, preallocated in a
 * manager of its own that is capped once they exist, and one child manager per {@link #append}.
 */
final class DjlDecoderSequence implements GptSequence {

  private final DjlDecoderRuntime runtime;
  private final DecoderConfig config;
  private final NDManager cacheManager;
  private final int capacity;
  private final NDArray[] keys; // per layer: [kvHeads, capacity, headWidth], RoPE applied
  private final NDArray[] values; // per layer: [kvHeads, capacity, headWidth]
  private final NDArray cosines; // [capacity, headWidth], attention factor applied
  private final NDArray sines; // [capacity, headWidth], attention factor applied
  private int length;

  DjlDecoderSequence(DjlDecoderRuntime runtime, int capacity) {
    this.runtime = runtime;
    this.config = runtime.config();
    this.capacity = capacity;
    this.cacheManager = runtime.manager().newSubManager();
    this.keys = new NDArray[config.layerCount()];
    this.values = new NDArray[config.layerCount()];
    Shape shape = new Shape(config.keyValueHeadCount(), capacity, config.headWidth());
    for (int layer = 0; layer < config.layerCount(); layer++) {
      keys[layer] = cacheManager.zeros(shape);
      values[layer] = cacheManager.zeros(shape);
    }
    float[][] tables = DjlDecoderRuntime.rotationTables(config, capacity);
    Shape table = new Shape(capacity, config.headWidth());
    this.cosines = cacheManager.create(tables[0], table);
    this.sines = cacheManager.create(tables[1], table);
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
  public boolean matchesCapacity(int other) {
    return Arrays.equals(
        RopeFrequencies.inverseFrequencies(config, capacity),
        RopeFrequencies.inverseFrequencies(config, other));
  }

  @Override
  public GptSequence copy(int prefix, int newCapacity) {
    SequenceBounds.checkCopy(prefix, length, newCapacity, config.contextLength());
    SequenceBounds.checkRotaryMove(matchesCapacity(newCapacity), newCapacity, capacity);
    DjlDecoderSequence copy = new DjlDecoderSequence(runtime, newCapacity);
    if (prefix > 0) {
      try (NDManager step = runtime.manager().newSubManager()) {
        for (int layer = 0; layer < config.layerCount(); layer++) {
          NDIndex rows = new NDIndex(":, :{}, :", prefix);
          copy.keys[layer].set(rows, keys[layer].get(step, rows));
          copy.values[layer].set(rows, values[layer].get(step, rows));
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
    runtime.beginStep();
    int rows = tokens.length;
    try (NDManager step = cacheManager.newSubManager()) {
      NDArray x = runtime.embed(step, step.create(tokens)); // [rows, width]
      NDIndex positions = new NDIndex("{}:{}", length, length + rows);
      int window = config.slidingWindow();
      DjlDecoderRuntime.Step shared =
          new DjlDecoderRuntime.Step(
              step,
              length,
              rows,
              cosines.get(step, positions), // [rows, headWidth]
              sines.get(step, positions),
              DjlDecoderRuntime.mask(step, rows, length, 0), // [rows, length + rows], or null
              window == 0 ? null : DjlDecoderRuntime.mask(step, rows, length, window));
      for (int layer = 0; layer < config.layerCount(); layer++) {
        x = runtime.block(shared, layer, x, keys[layer], values[layer]);
      }
      float[] logits = runtime.lastLogits(x);
      length += rows;
      return logits;
    }
  }
}
