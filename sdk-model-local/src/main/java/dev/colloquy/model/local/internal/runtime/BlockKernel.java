package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;

/**
 * Products of float activations with compressed weights, computed on the encoding in place (F16,
 * BF16, Q8_0, Q4_0, Q4_K, Q6_K): each weight is dequantized to the float it stands for and
 * multiplied into the sum, in registers or in a small per-call buffer, never for the whole matrix.
 *
 * <p>The contract that batching relies on: the sum for one activation row and one weight column
 * takes the same float operations in the same order whatever the other rows and columns of the call
 * are, so a row's result does not depend on how many rows are multiplied together, nor a column's
 * on how the columns are split between threads. Implementations are stateless and thread-safe.
 */
interface BlockKernel {

  /**
   * For t in [0, rows) and c in [columnFrom, columnTo): {@code out[t * outStride + outAt + c -
   * columnFrom] = sum over r in [from, to) of w(c, r) * x[t * xStride + xAt + r - from]}, where
   * {@code w(c, r) = tensor.get(c * in + r)} is row c of the [out, in] tensor; overwrites that
   * block of {@code out}. {@code from} and {@code to} are multiples of {@link #grain}.
   */
  void multiply(
      WeightTensor tensor,
      int in,
      int from,
      int to,
      int columnFrom,
      int columnTo,
      float[] x,
      int xAt,
      int xStride,
      int rows,
      float[] out,
      int outAt,
      int outStride);

  /** A short name for logs and benchmarks. */
  String name();

  /**
   * The values a kernel takes whole: 8 (a vector of 16-bit floats) or 32 (a block, or a K
   * sub-block).
   */
  static int grain(WeightTensor tensor) {
    return tensor instanceof WeightTensor.Halves ? 8 : WeightTensor.BLOCK;
  }
}
