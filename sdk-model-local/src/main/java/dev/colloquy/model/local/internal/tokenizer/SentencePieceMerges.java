package dev.colloquy.model.local.internal.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Derives BPE merges from a SentencePiece vocabulary's scores, for a GGUF {@code "llama"} file that
 * has no {@code tokenizer.ggml.merges}, the way Hugging Face's converters do: every way to cut a
 * token into two tokens of the vocabulary is a merge, ranked by the score of the whole token
 * (highest first); ties keep vocabulary order, the cuts of one token ordered by the ids of their
 * left then right parts.
 */
final class SentencePieceMerges {

  private SentencePieceMerges() {}

  /** A merge of two tokens into one, and the score of the result. */
  record Merge(String left, String right, float score) {}

  /**
   * @param tokens token texts by id
   * @param scores one score per token
   * @param ids token text to id, over the tokens that may take part in merges
   */
  static List<Merge> derive(List<String> tokens, float[] scores, Map<String, Integer> ids) {
    List<Merge> merges = new ArrayList<>();
    List<int[]> local = new ArrayList<>();
    for (int id = 0; id < tokens.size(); id++) {
      String piece = tokens.get(id);
      if (!ids.containsKey(piece) || ids.get(piece) != id) {
        continue;
      }
      local.clear();
      for (int cut = piece.offsetByCodePoints(0, 1);
          cut < piece.length();
          cut = piece.offsetByCodePoints(cut, 1)) {
        Integer left = ids.get(piece.substring(0, cut));
        Integer right = ids.get(piece.substring(cut));
        if (left != null && right != null) {
          local.add(new int[] {left, right});
        }
      }
      local.sort(Comparator.<int[]>comparingInt(pair -> pair[0]).thenComparingInt(pair -> pair[1]));
      for (int[] pair : local) {
        merges.add(new Merge(tokens.get(pair[0]), tokens.get(pair[1]), scores[id]));
      }
    }
    // Stable: equal scores keep the order above.
    merges.sort(Comparator.comparingDouble((Merge merge) -> merge.score()).reversed());
    return merges;
  }
}
