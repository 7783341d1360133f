package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.util.Arrays;

/**
 * A matrix [in, out] kept in its loaded encoding (F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K) as the tensor
 * [out, in] row-major: output column c is the tensor's row c, so each output is a sum along a
 * contiguous row, taken by the {@link BlockKernel} on whole grains (8 values of F16/BF16, 32 of the
 * block types) without dequantizing the matrix. A row range [rowFrom, rowTo) that does not start or
 * end on a grain takes its partial grains value by value; the sum is always the kernel's whole
 * grains, then the head partial grain, then the tail one. Every activation row of a call is summed
 * as it would be alone.
 */
final class EncodedMatrix implements LinearMatrix {

  private final WeightTensor tensor; // [out, in] row-major
  private final int in;
  private final int out;
  private final BlockKernel kernel;
  private final int grain;

  EncodedMatrix(WeightTensor tensor, int in, int out, BlockKernel kernel) {
    if ((long) in * out != tensor.size()) {
      throw new IllegalArgumentException(
          "a " + out + " x " + in + " matrix cannot have " + tensor.size() + " values");
    }
    int rowBlock =
        tensor instanceof WeightTensor.Q4_K || tensor instanceof WeightTensor.Q6_K
            ? WeightTensor.SUPER_BLOCK
            : tensor instanceof WeightTensor.Halves ? 1 : WeightTensor.BLOCK;
    if (in % rowBlock != 0) {
      throw new IllegalArgumentException(
          tensor.encoding() + " rows of " + in + " values are not whole blocks of " + rowBlock);
    }
    this.tensor = tensor;
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.grain = BlockKernel.grain(tensor);
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
    int firstWhole = Math.min(rowTo, (rowFrom + grain - 1) / grain * grain);
    int lastWhole = Math.max(firstWhole, rowTo / grain * grain);
    if (lastWhole > firstWhole) {
      kernel.multiply(
          tensor,
          in,
          firstWhole,
          lastWhole,
          columnFrom,
          columnTo,
          x,
          xOffset + firstWhole - rowFrom,
          xStride,
          rows,
          result,
          outOffset,
          outStride);
    } else {
      for (int t = 0; t < rows; t++) {
        int o = t * outStride + outOffset;
        Arrays.fill(result, o, o + columnTo - columnFrom, 0f);
      }
    }
    if (firstWhole == rowFrom && lastWhole == rowTo) {
      return;
    }
    for (int t = 0; t < rows; t++) {
      int xAtRowZero = t * xStride + xOffset - rowFrom;
      for (int c = columnFrom; c < columnTo; c++) {
        int o = t * outStride + outOffset + c - columnFrom;
        float sum = result[o];
        if (firstWhole > rowFrom) {
          sum += partial(c * in, rowFrom, firstWhole, x, xAtRowZero);
        }
        if (rowTo > lastWhole) {
          sum += partial(c * in, lastWhole, rowTo, x, xAtRowZero);
        }
        result[o] = sum;
      }
    }
  }

  /** Values [from, to) of the row at base, inside one grain, dequantized one by one. */
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
