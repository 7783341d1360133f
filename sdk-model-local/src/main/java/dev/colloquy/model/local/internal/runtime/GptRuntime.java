package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.checkpoint.GptConfig;

/**
 * A loaded GPT-2 forward pass on some engine and device. Thread-safe for creating sequences; each
 * {@link GptSequence} is used by one thread at a time.
 */
public interface GptRuntime extends AutoCloseable {

  /** Returns the model's hyper-parameters. */
  GptConfig config();

  /**
   * Starts a sequence with a KV cache preallocated for {@code capacity} positions.
   *
   * @param capacity the most tokens the sequence will hold, 1 to the context length
   */
  GptSequence newSequence(int capacity);

  /**
   * Returns the engine and device, for logs and benchmarks (e.g. "java-cpu x2", "djl-pytorch
   * cpu()").
   */
  String description();

  /** Releases native memory and threads. */
  @Override
  void close();
}
