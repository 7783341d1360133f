package dev.colloquy.model.local.internal.runtime;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The argument checks that every {@link GptRuntime} engine applies to its sequences, so that the
 * Java and DJL engines reject the same calls with the same messages.
 */
final class SequenceBounds {

  private SequenceBounds() {}

  /** Checks a new sequence's capacity: 1 to the context length. */
  static void checkCapacity(int capacity, int contextLength) {
    if (capacity < 1 || capacity > contextLength) {
      throw new IllegalArgumentException(
          "capacity must be 1 to " + contextLength + ", was " + capacity);
    }
  }

  /** Checks a prefix of a sequence of {@code length} tokens: 0 to {@code length}. */
  static void checkPrefix(int prefix, int length) {
    if (prefix < 0 || prefix > length) {
      throw new IllegalArgumentException(
          "a prefix of a sequence of "
              + length
              + " tokens must be 0 to "
              + length
              + ", was "
              + prefix);
    }
  }

  /**
   * Checks the arguments of {@link GptSequence#copy}: the prefix, then a capacity that holds it (at
   * least 1) and fits the context length.
   */
  static void checkCopy(int prefix, int length, int newCapacity, int contextLength) {
    checkPrefix(prefix, length);
    if (newCapacity < Math.max(1, prefix) || newCapacity > contextLength) {
      throw new IllegalArgumentException(
          "capacity must be "
              + Math.max(1, prefix)
              + " to "
              + contextLength
              + ", was "
              + newCapacity);
    }
  }

  /**
   * Checks that a cache with rotary embeddings applied can move from {@code capacity} to {@code
   * newCapacity}: {@code matches} says whether their frequencies agree.
   */
  static void checkRotaryMove(boolean matches, int newCapacity, int capacity) {
    if (!matches) {
      throw new IllegalArgumentException(
          "the rotary frequencies at capacity "
              + newCapacity
              + " differ from those at "
              + capacity
              + ": the cache cannot move, start a new sequence");
    }
  }

  /**
   * Checks the tokens of {@link GptSequence#append}: at least one, room for them all, each inside
   * the vocabulary.
   */
  static void checkAppend(int[] tokens, int length, int capacity, int vocabularySize) {
    int rows = tokens.length;
    if (rows == 0 || length + rows > capacity) {
      throw new IllegalStateException(
          "cannot append "
              + rows
              + " tokens to a sequence of "
              + length
              + " with capacity "
              + capacity);
    }
    for (int token : tokens) {
      if (token < 0 || token >= vocabularySize) {
        throw new IllegalArgumentException(
            "token id " + token + " is outside the vocabulary of " + vocabularySize);
      }
    }
  }

  /**
   * Checks the arguments of {@link GptRuntime#appendAll} before any sequence changes: as many token
   * arrays as sequences, no sequence twice, and each append as {@link #checkAppend} would allow.
   */
  static void checkBatch(List<GptSequence> sequences, List<int[]> tokens, int vocabularySize) {
    if (sequences.size() != tokens.size()) {
      throw new IllegalArgumentException(
          sequences.size() + " sequences but " + tokens.size() + " token arrays");
    }
    Set<GptSequence> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < sequences.size(); i++) {
      GptSequence sequence = sequences.get(i);
      if (!seen.add(sequence)) {
        throw new IllegalArgumentException("sequence " + i + " appears twice in one step");
      }
      checkAppend(tokens.get(i), sequence.length(), sequence.capacity(), vocabularySize);
    }
  }

  /**
   * Checks that an engine that batches its own sequences got only those: {@code owned} says whether
   * a sequence was created by the runtime.
   */
  static void checkOwned(List<GptSequence> sequences, Predicate<GptSequence> owned) {
    for (int i = 0; i < sequences.size(); i++) {
      if (!owned.test(sequences.get(i))) {
        throw new IllegalArgumentException(
            "sequence " + i + " was not created by this runtime: a step runs on one runtime");
      }
    }
  }
}
