package dev.colloquy.model.local.internal.runtime;

import java.util.Arrays;

/**
 * The bookkeeping that the Java engines' batched steps share: steps run one at a time, and the
 * buffers of recent steps are kept for the next ones while they are small (decoding), so a step
 * allocates nothing; a long prompt's buffers are not held while the runtime decodes.
 *
 * @param <W> an engine's buffers for one step
 */
final class StepBuffers<W> {

  /** Steps of up to this many rows (decoding up to 64 sequences) keep their buffers. */
  static final int KEPT_ROWS = 64;

  /** Allocates an engine's buffers for steps of up to {@code rows} rows seeing {@code span}. */
  interface Allocator<W> {
    W allocate(int rows, int span);
  }

  /**
   * The forward pass of a step of {@code rows} rows on big enough buffers, writing the last row's
   * logits of each sequence into {@code logits} [sequences, vocab].
   */
  interface Pass<W> {
    PhasedForward<?> forward(int rows, W buffers, float[] logits);
  }

  /** A sequence whose length a step advances. */
  interface Stepped extends GptSequence {
    /** Counts {@code tokens} more positions as cached. */
    void advance(int tokens);
  }

  private final Allocator<W> allocator;
  private final int vocabulary;
  private final Object lock = new Object();
  private W kept; // guarded by lock, with its sizes
  private int keptRows;
  private int keptSpan;

  StepBuffers(Allocator<W> allocator, int vocabulary) {
    this.allocator = allocator;
    this.vocabulary = vocabulary;
  }

  /**
   * Runs {@code pass} for the new tokens of the sequences, on buffers for their rows (the tokens'
   * total) and span (the longest sequence once they are appended), then advances each sequence by
   * its tokens and returns each one's logits. A failed pass's buffers are not reused: a worker may
   * still be inside one of its tasks.
   */
  float[][] step(Stepped[] sequences, int[][] tokens, Pass<W> pass) {
    if (sequences.length == 0) {
      return new float[0][];
    }
    synchronized (lock) {
      int rows = 0;
      int span = 0;
      for (int i = 0; i < sequences.length; i++) {
        rows += tokens[i].length;
        span = Math.max(span, sequences[i].length() + tokens[i].length);
      }
      float[] logits = new float[sequences.length * vocabulary];
      try {
        pass.forward(rows, buffers(rows, span), logits).runOn();
      } catch (RuntimeException | Error e) {
        kept = null;
        throw e;
      }
      for (int i = 0; i < sequences.length; i++) {
        sequences[i].advance(tokens[i].length);
      }
      return perSequence(logits, sequences.length);
    }
  }

  /** The kept buffers if they are big enough, else new ones, kept if no more than KEPT_ROWS. */
  private W buffers(int rows, int span) {
    if (kept != null && keptRows >= rows && keptSpan >= span) {
      return kept;
    }
    if (rows > KEPT_ROWS) {
      return allocator.allocate(rows, span);
    }
    if (kept != null) {
      rows = Math.max(rows, keptRows);
      span = Math.max(span, keptSpan);
    }
    kept = allocator.allocate(rows, span);
    keptRows = rows;
    keptSpan = span;
    return kept;
  }

  /** Splits the LM head's [sequences, vocab] output into each sequence's logits. */
  private float[][] perSequence(float[] logits, int sequences) {
    if (sequences == 1) {
      return new float[][] {logits};
    }
    float[][] split = new float[sequences][];
    for (int i = 0; i < sequences; i++) {
      split[i] = Arrays.copyOfRange(logits, i * vocabulary, (i + 1) * vocabulary);
    }
    return split;
  }
}
