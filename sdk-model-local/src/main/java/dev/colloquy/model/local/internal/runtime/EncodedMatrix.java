package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;

/**
 * A matrix [in, out] kept in its loaded encoding (F16, BF16, Q8_0, Q4_0) as the tensor [out, in]
 * row-major: output column c is the tensor's row c, so each output is one dot product over a
 * contiguous row, block by block, without dequantizing the matrix. A row range [rowFrom, rowTo)
 * that does not start or end on a block takes its partial blocks value by value; the sum is always
 * whole blocks (by the {@link BlockKernel}), then head partial block, then tail partial block.
 */
final class EncodedMatrix implements LinearMatrix {

  private static final int BLOCK = WeightTensor.BLOCK;

  private final WeightTensor tensor; // [out, in] row-major
  private final int in;
  private final int out;
  private final BlockKernel kernel;

  EncodedMatrix(WeightTensor tensor, int in, int out, BlockKernel kernel) {
    if ((long) in * out != tensor.size()) {
      throw new IllegalArgumentException(
          "a " + out + " x " + in + " matrix cannot have " + tensor.size() + " values");
    }
    if (!(tensor instanceof WeightTensor.Halves) && in % BLOCK != 0) {
      throw new IllegalArgumentException(
          tensor.encoding() + " rows of " + in + " values are not whole blocks of " + BLOCK);
    }
    this.tensor = tensor;
    this.in = in;
    this.out = out;
    this.kernel = kernel;
  }

  @Override
  public void multiply(
      float[] x,
      int xOffset,
      int xStride,
      int rows,
      int rowFrom,
      int rowTo,
      int columnFrom,
      int columnTo,
      float[] result,
      int outOffset,
      int outStride) {
    for (int c = columnFrom; c < columnTo; c++) {
      for (int t = 0; t < rows; t++) {
        result[t * outStride + outOffset + c - columnFrom] =
            dot(c, x, t * xStride + xOffset, rowFrom, rowTo);
      }
    }
  }

  /** Row c of the tensor over [rowFrom, rowTo) with x[xAt, xAt + rowTo - rowFrom). */
  private float dot(int c, float[] x, int xAt, int rowFrom, int rowTo) {
    int base = c * in;
    if (tensor instanceof WeightTensor.Halves halves) {
      return kernel.dotHalves(
          halves.bits(), base + rowFrom, halves.brain(), x, xAt, rowTo - rowFrom);
    }
    int firstWhole = Math.min(rowTo, (rowFrom + BLOCK - 1) / BLOCK * BLOCK);
    int lastWhole = Math.max(firstWhole, rowTo / BLOCK * BLOCK);
    int blocks = (lastWhole - firstWhole) / BLOCK;
    float sum = 0f;
    if (blocks > 0) {
      int block = (base + firstWhole) / BLOCK;
      int xFirst = xAt + firstWhole - rowFrom;
      sum =
          tensor instanceof WeightTensor.Q8_0 q8
              ? kernel.dotQ8(q8.scales(), q8.quants(), block, blocks, x, xFirst)
              : kernel.dotQ4(
                  ((WeightTensor.Q4_0) tensor).scales(),
                  ((WeightTensor.Q4_0) tensor).nibbles(),
                  block,
                  blocks,
                  x,
                  xFirst);
    }
    if (firstWhole > rowFrom) {
      sum += partial(base, rowFrom, firstWhole, x, xAt - rowFrom);
    }
    if (rowTo > lastWhole) {
      sum += partial(base, lastWhole, rowTo, x, xAt - rowFrom);
    }
    return sum;
  }

  /** Values [from, to) of the row at base, inside one block, dequantized one by one. */
  private float partial(int base, int from, int to, float[] x, int xAtRowZero) {
    float sum = 0f;
    for (int r = from; r < to; r++) {
      sum += tensor.get(base + r) * x[xAtRowZero + r];
    }
    return sum;
  }

  @Override
  public float get(int row, int column) {
    return tensor.get(column * in + row);
  }

  @Override
  public long byteSize() {
    return tensor.byteSize();
  }

  @Override
  public String encoding() {
    return tensor.encoding();
  }
}
