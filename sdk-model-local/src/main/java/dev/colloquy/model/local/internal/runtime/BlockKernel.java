package dev.colloquy.model.local.internal.runtime;

/**
 * Dot products of float activations with one row of compressed weights, computed on the encoding in
 * place: F16/BF16 widened in registers, Q8_0 and Q4_0 block by block (the float sum of each block's
 * quants times x, times the block's scale). Each sums in a fixed order that depends only on its
 * arguments. Implementations are stateless and thread-safe.
 */
interface BlockKernel {

  /** {@code sum over i in [0, n) of widen(w[wAt + i]) * x[xAt + i]}. */
  float dotHalves(short[] w, int wAt, boolean brain, float[] x, int xAt, int n);

  /**
   * {@code sum over blocks b in [block, block + blocks) of scales[b] * sum over j < 32 of
   * quants[32b + j] * x[xAt + 32(b - block) + j]}.
   */
  float dotQ8(float[] scales, byte[] quants, int block, int blocks, float[] x, int xAt);

  /**
   * As {@link #dotQ8} for Q4_0: value j of block b is the low nibble (j < 16) or the high nibble (j
   * >= 16) of {@code nibbles[16b + j % 16]}, minus 8.
   */
  float dotQ4(float[] scales, byte[] nibbles, int block, int blocks, float[] x, int xAt);

  /** A short name for logs and benchmarks. */
  String name();
}
