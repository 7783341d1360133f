package dev.colloquy.model.local.internal.gguf;

/**
 * Undoes the row permutation llama.cpp's converter ({@code convert_hf_to_gguf.py}, {@code
 * LlamaModel.permute}) applies to the q and k projections of models it writes with {@code
 * general.architecture = llama} (Llama 2/3.x, TinyLlama, SmolLM/SmolLM2, Mistral: all converted as
 * llama). Those run interleaved RoPE in llama.cpp, which rotates adjacent pairs (2i, 2i + 1) of
 * each head, while Hugging Face's rotate-half RoPE pairs i with i + headWidth/2. The converter
 * therefore moves row {@code h*d + half*(d/2) + i} of head h to row {@code h*d + 2i + half}. Qwen2,
 * Qwen3, Phi-3 and Gemma files are written unpermuted (llama.cpp runs them with NeoX RoPE) and need
 * nothing.
 */
final class LlamaRowOrder {

  private LlamaRowOrder() {}

  /**
   * Returns the rows of a q or k projection (or its bias) in Hugging Face's rotate-half order.
   *
   * @param permuted the GGUF tensor, row-major {@code [heads * headWidth, columns]}
   * @param heads the heads of this projection: query heads for q, key/value heads for k
   * @param columns values per row (1 for a bias)
   * @return a new array; {@code permuted} is unchanged
   * @throws IllegalArgumentException if the rows do not split into heads of even width
   */
  static float[] unpermute(float[] permuted, int heads, int columns) {
    int rows = permuted.length / columns;
    if (rows * columns != permuted.length) {
      throw new IllegalArgumentException(
          permuted.length + " values do not form rows of " + columns);
    }
    int[] order = order(rows, heads);
    float[] ordered = new float[permuted.length];
    for (int to = 0; to < rows; to++) {
      System.arraycopy(permuted, order[to] * columns, ordered, to * columns, columns);
    }
    return ordered;
  }

  /**
   * Returns where each row of Hugging Face's order sits in the permuted GGUF tensor: row {@code i}
   * of the result is row {@code order[i]} of the GGUF tensor.
   *
   * @param rows the rows of the projection, heads * headWidth
   * @param heads the heads of this projection
   * @throws IllegalArgumentException if the rows do not split into heads of even width
   */
  static int[] order(int rows, int heads) {
    if (heads < 1 || rows % (2 * heads) != 0) {
      throw new IllegalArgumentException(
          rows + " rows do not form " + heads + " heads of even width");
    }
    int headWidth = rows / heads;
    int halfWidth = headWidth / 2;
    int[] order = new int[rows];
    for (int head = 0; head < heads; head++) {
      for (int half = 0; half < 2; half++) {
        for (int i = 0; i < halfWidth; i++) {
          order[head * headWidth + half * halfWidth + i] = head * headWidth + 2 * i + half;
        }
      }
    }
    return order;
  }
}
