package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;

/**
 * A projection's weight seen as [rows, columns] = [in, out], in whichever encoding it is kept: F32
 * packed into panels ({@link PackedMatrix}), or F16/BF16/Q8_0/Q4_0/Q4_K/Q6_K kept as loaded, [out,
 * in] row-major ({@link EncodedMatrix}). Immutable and thread-safe.
 */
interface LinearMatrix {

  /**
   * {@code out[t * outStride + outOffset + (c - columnFrom)] = sum over r in [rowFrom, rowTo) of
   * x[t * xStride + xOffset + (r - rowFrom)] * w[r, c]}, for t in [0, rows) and c in [columnFrom,
   * columnTo): overwrites that block of {@code out}. The sum's order depends only on the arguments,
   * so a split of the columns between threads never changes a result, and each row t is summed as
   * it would be alone, so a row's result does not depend on the other rows of the call (batched
   * decoding and prefill rely on it).
   */
  void multiply(
      float[] x,
      int xOffset,
      int xStride,
      int rows,
      int rowFrom,
      int rowTo,
      int columnFrom,
      int columnTo,
      float[] out,
      int outOffset,
      int outStride);

  /** w[row, column]. */
  float get(int row, int column);

  /** The bytes one pass over the whole matrix reads. */
  long byteSize();

  /** The encoding: F32, F16, BF16, Q8_0, Q4_0, Q4_K or Q6_K. */
  String encoding();

  /**
   * The matrix [in, out] for a tensor stored [out, in] row-major (a Hugging Face or GGUF
   * projection): F32 is packed into panels for {@code f32Kernel} (kept as it is when a reader
   * packed it already), the other encodings are kept and computed on by {@code blockKernel}.
   */
  static LinearMatrix ofOutIn(
      WeightTensor tensor, int in, int out, MatrixKernel f32Kernel, BlockKernel blockKernel) {
    if (tensor instanceof WeightTensor.PackedF32 packed) {
      PackedMatrix matrix = PackedMatrix.of(packed.transposed());
      if (matrix.rows() != in || matrix.columns() != out) {
        throw new IllegalArgumentException(
            "a packed "
                + matrix.rows()
                + " x "
                + matrix.columns()
                + " matrix is not "
                + in
                + " x "
                + out);
      }
      return new Packed(matrix, f32Kernel);
    }
    if (tensor instanceof WeightTensor.F32 f32) {
      return new Packed(PackedMatrix.ofTransposed(f32.values(), in, out), f32Kernel);
    }
    if (tensor instanceof WeightTensor.Rows parted) {
      return new Parted(parted, in, out, blockKernel);
    }
    return new EncodedMatrix(tensor, in, out, blockKernel);
  }

  /**
   * A matrix kept in parts of whole output columns ({@link WeightTensor.Rows}): a call's columns go
   * to the parts they fall in, each summed as it would be in one matrix (a split of the columns
   * never changes a result).
   */
  final class Parted implements LinearMatrix {
    private final EncodedMatrix[] parts;
    private final int columnsPerPart;
    private final WeightTensor.Rows tensor;

    Parted(WeightTensor.Rows tensor, int in, int out, BlockKernel kernel) {
      if (tensor.columns() != in || (long) in * out != tensor.size()) {
        throw new IllegalArgumentException(
            "a " + out + " x " + in + " matrix cannot be rows of " + tensor.columns() + " values");
      }
      this.tensor = tensor;
      this.columnsPerPart = tensor.rowsPerPart();
      this.parts = new EncodedMatrix[tensor.parts().size()];
      for (int p = 0; p < parts.length; p++) {
        WeightTensor part = tensor.parts().get(p);
        parts[p] = new EncodedMatrix(part, in, part.size() / in, kernel);
      }
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
        float[] out,
        int outOffset,
        int outStride) {
      for (int c = columnFrom; c < columnTo; ) {
        int part = c / columnsPerPart;
        int first = part * columnsPerPart;
        int end = Math.min(columnTo, first + columnsPerPart);
        parts[part].multiply(
            x,
            xOffset,
            xStride,
            rows,
            rowFrom,
            rowTo,
            c - first,
            end - first,
            out,
            outOffset + c - columnFrom,
            outStride);
        c = end;
      }
    }

    @Override
    public float get(int row, int column) {
      return parts[column / columnsPerPart].get(row, column % columnsPerPart);
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

  /** An F32 matrix packed into panels, multiplied by a {@link MatrixKernel}. */
  record Packed(PackedMatrix matrix, MatrixKernel kernel) implements LinearMatrix {
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
        float[] out,
        int outOffset,
        int outStride) {
      kernel.multiply(
          x,
          xOffset,
          xStride,
          rows,
          matrix,
          rowFrom,
          rowTo,
          columnFrom,
          columnTo,
          out,
          outOffset,
          outStride);
    }

    @Override
    public float get(int row, int column) {
      return matrix.get(row, column);
    }

    @Override
    public long byteSize() {
      return 4L * matrix.rows() * matrix.columns();
    }

    @Override
    public String encoding() {
      return "F32";
    }
  }
}
