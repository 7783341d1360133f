package dev.colloquy.model.local.internal.runtime;

/**
 * A matrix product over a block of a {@link PackedMatrix}; implementations are stateless and
 * thread-safe.
 */
interface MatrixKernel {

  /**
   * {@code out[t * outStride + outOffset + (c - columnFrom)] = sum over r in [rowFrom, rowTo) of
   * x[t * xStride + xOffset + (r - rowFrom)] * w[r, c]}, for t in [0, rows) and c in [columnFrom,
   * columnTo): overwrites that block of {@code out}.
   */
  void multiply(
      float[] x,
      int xOffset,
      int xStride,
      int rows,
      PackedMatrix w,
      int rowFrom,
      int rowTo,
      int columnFrom,
      int columnTo,
      float[] out,
      int outOffset,
      int outStride);

  /** A short name for logs and benchmarks. */
  String name();
}
