package dev.colloquy.model.local.internal.runtime;

import java.util.List;

/**
 * A loaded decoder forward pass (GPT-2, or a Llama-style family) on some engine and device.
 * Thread-safe for creating sequences; each {@link GptSequence} is used by one thread at a time.
 */
public interface GptRuntime extends AutoCloseable {

  /** Returns the most positions a sequence may hold. */
  int contextLength();

  /** Returns the number of logits per position (the embedding's vocabulary size). */
  int vocabularySize();

  /**
   * Returns the ids that end a reply, at least one; the first is the one written for a chat
   * format's end-of-text segments.
   */
  List<Integer> endOfTextIds();

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
