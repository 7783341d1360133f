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
   * Runs one step of several sequences at once: appends {@code tokens.get(i)} to {@code
   * sequences.get(i)} and returns the logits after its last token, as {@link GptSequence#append}
   * would. Each sequence's results are those of its own {@code append}, whatever the others in the
   * step; an engine that can reads each weight once for all the step's rows (continuous batching).
   * This default runs them one after another.
   *
   * @param sequences distinct sequences created by this runtime
   * @param tokens one or more token ids per sequence, in the same order
   * @return the next-token logits of each sequence, [sequences][vocab]
   * @throws IllegalArgumentException if the lists differ in size or a sequence appears twice
   * @throws IllegalStateException if a sequence's cache would exceed its capacity (no sequence is
   *     changed)
   */
  default float[][] appendAll(List<GptSequence> sequences, List<int[]> tokens) {
    SequenceBounds.checkBatch(sequences, tokens, vocabularySize());
    float[][] logits = new float[sequences.size()][];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = sequences.get(i).append(tokens.get(i));
    }
    return logits;
  }

  /**
   * Returns the engine and device, for logs and benchmarks (e.g. "java-cpu x2", "djl-pytorch
   * cpu()").
   */
  String description();

  /** Releases native memory and threads. */
  @Override
  void close();
}
