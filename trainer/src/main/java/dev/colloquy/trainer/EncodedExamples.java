package dev.colloquy.trainer;

import dev.colloquy.model.local.internal.format.ToolTranscript;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training conversations as token ids with a loss mask, and the seeded batch order. A token is
 * learned (mask 1) when it belongs to an assistant reply or is the end-of-text after it; the prompt
 * text around replies is context only. Tokenization matches inference: each piece is tokenized on
 * its own, as {@code PromptEncoder} does with the chat format's segments.
 */
final class EncodedExamples {

  /** One encoded conversation: tokens and, per token, whether the model learns to write it. */
  record Encoded(int[] tokens, boolean[] learned) {}

  /**
   * One batch: inputs and targets [batch × length] (row-major), padded with end-of-text, and the
   * loss weight of each target.
   */
  record Batch(int batch, int length, long[] inputs, long[] targets, float[] weights) {}

  private final List<Encoded> examples;
  private final int skipped;

  private EncodedExamples(List<Encoded> examples, int skipped) {
    this.examples = examples;
    this.skipped = skipped;
  }

  /** Encodes the examples, skipping those longer than the context. */
  static EncodedExamples encode(
      List<TrainingExample> examples, BpeTokenizer tokenizer, int endOfText, int context) {
    List<Encoded> encoded = new ArrayList<>();
    int skipped = 0;
    for (TrainingExample example : examples) {
      Encoded e = encode(example, tokenizer, endOfText);
      if (e.tokens().length > context) {
        skipped++;
      } else {
        encoded.add(e);
      }
    }
    if (encoded.isEmpty()) {
      throw new IllegalArgumentException(
          "no training example fits the context of " + context + " tokens");
    }
    return new EncodedExamples(encoded, skipped);
  }

  static Encoded encode(TrainingExample example, BpeTokenizer tokenizer, int endOfText) {
    int[] tokens = new int[0];
    boolean[] learned = new boolean[0];
    for (ToolTranscript.Piece piece :
        ToolTranscript.pieces(example.messages(), example.tools(), false)) {
      int[] part = tokenizer.encode(piece.reply() ? " " + piece.text() : piece.text());
      if (piece.reply()) {
        part = Arrays.copyOf(part, part.length + 1);
        part[part.length - 1] = endOfText;
      }
      int at = tokens.length;
      tokens = Arrays.copyOf(tokens, at + part.length);
      learned = Arrays.copyOf(learned, at + part.length);
      System.arraycopy(part, 0, tokens, at, part.length);
      Arrays.fill(learned, at, at + part.length, piece.reply());
    }
    return new Encoded(tokens, learned);
  }

  int size() {
    return examples.size();
  }

  int skipped() {
    return skipped;
  }

  /** Returns the longest example in tokens. */
  int longest() {
    return examples.stream().mapToInt(e -> e.tokens().length).max().orElse(0);
  }

  /** Returns the total number of tokens. */
  long tokens() {
    return examples.stream().mapToLong(e -> e.tokens().length).sum();
  }

  /**
   * Deals the examples into batches for {@code steps} steps: each epoch is a seeded shuffle; within
   * runs of 16 batches, examples are sorted by length so that padding stays small.
   */
  List<int[]> schedule(int steps, int batchSize, SplittableRandom random) {
    List<int[]> batches = new ArrayList<>();
    while (batches.size() < steps) {
      int[] order = new int[examples.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      int run = batchSize * 16;
      for (int start = 0; start + batchSize <= order.length; start += run) {
        int end = Math.min(order.length, start + run);
        Integer[] chunk = new Integer[end - start];
        for (int i = start; i < end; i++) {
          chunk[i - start] = order[i];
        }
        Arrays.sort(
            chunk,
            (a, b) ->
                Integer.compare(examples.get(a).tokens().length, examples.get(b).tokens().length));
        List<int[]> runBatches = new ArrayList<>();
        for (int b = 0; b + batchSize <= chunk.length; b += batchSize) {
          int[] batch = new int[batchSize];
          for (int i = 0; i < batchSize; i++) {
            batch[i] = chunk[b + i];
          }
          runBatches.add(batch);
        }
        for (int i = runBatches.size() - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int[] t = runBatches.get(i);
          runBatches.set(i, runBatches.get(j));
          runBatches.set(j, t);
        }
        batches.addAll(runBatches);
      }
    }
    return batches.subList(0, steps);
  }

  /** Builds the padded batch of the given examples. */
  Batch batch(int[] indices, int endOfText) {
    int length = 0;
    for (int index : indices) {
      length = Math.max(length, examples.get(index).tokens().length - 1);
    }
    long[] inputs = new long[indices.length * length];
    long[] targets = new long[indices.length * length];
    float[] weights = new float[indices.length * length];
    Arrays.fill(inputs, endOfText);
    Arrays.fill(targets, endOfText);
    for (int row = 0; row < indices.length; row++) {
      Encoded e = examples.get(indices[row]);
      for (int t = 0; t + 1 < e.tokens().length; t++) {
        inputs[row * length + t] = e.tokens()[t];
        targets[row * length + t] = e.tokens()[t + 1];
        weights[row * length + t] = e.learned()[t + 1] ? 1f : 0f;
      }
    }
    return new Batch(indices.length, length, inputs, targets, weights);
  }
}
