package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link BlockKernel} (Java 21+, module {@code jdk.incubator.vector}, 256-bit
 * vectors).
 *
 * <p>Design note. Every (row, column) sum takes its weights 8 at a time (chunk k of the row range),
 * dequantized exactly as {@link VectorBlocks} computes them, into one of four 8-lane accumulators,
 * {@code a[k % 4] = w.fma(x, a[k % 4])}, then adds {@code (a0 + a1) + (a2 + a3)} and sums the lanes
 * in a fixed order ({@link #sum}). That is the invariant: whichever path computes it, a row gets the
 * same bits.
 *
 * <ul>
 *   <li>One row (decoding): each column straight from the encoding, one column after another, so
 *       the weights are read as one stream (four interleaved columns, four streams, were about 30%
 *       slower once the matrix is out of cache).
 *   <li>Several rows of Q8_0 or bfloat16, or up to 8 of Q4_0, with 512-bit vectors: {@link
 *       VectorBlockRows}, two columns by four rows at a time, each weight dequantized (or widened) in
 *       registers once for the four rows.
 *   <li>Several rows otherwise (prefill, batched decoding), F16 row ranges that are not whole 32s, and
 *       columns left over: four columns are dequantized once into a small buffer, then every row
 *       reuses them, three (or two) rows by four columns at a time, one pass per accumulator class
 *       (twelve accumulators, seven loads per twelve fused multiply-adds). Dequantizing costs once per
 *       call, not once per row.
 * </ul>
 *
 * No vector is passed to or returned from a method that C2 might leave a call (see {@link
 * VectorBlocks}): accumulators leave each loop through a lane buffer.
 */
final class VectorBlockKernel implements BlockKernel {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final int COLUMNS = 4;
  // Row ranges are taken in pieces of this many values (a multiple of 32), so that a tile's
  // columns and rows of x stay in the L1 cache across its four passes.
  private static final int PIECE = 512;
  // Q4_0's nibbles cost more to dequantize than Q8_0's bytes: past this many rows the buffered path
  // (dequantized once per call) measured as fast as the tiles (dequantized once per four rows).
  private static final int Q4_TILE_ROWS = 8;

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void multiply(WeightTensor tensor, int in, int from, int to, int columnFrom, int columnTo,
      float[] x, int xAt, int xStride, int rows, float[] out, int outAt, int outStride) {
    int span = to - from;
    float[] lanes = new float[8 * 13]; // [0, 32): four sums; [64, 96): wide accumulators
    int c = columnFrom;
    if (rows == 1 && VectorBlocks.fused(tensor, span)) {
      // Short rows: cache lines touched ahead (BlockKernels#touch); the sink keeps the reads.
      boolean ahead = span <= BlockKernels.SHORT_ROW;
      int sink = 0;
      for (; c + COLUMNS <= columnTo; c += COLUMNS) {
        if (ahead) {
          sink += BlockKernels.touch(tensor, (c + BlockKernels.AHEAD) * in + from, in, span);
        }
        VectorBlocks.dot4(tensor, c * in + from, in, span, x, xAt, lanes, out,
            outAt + c - columnFrom);
      }
      lanes[lanes.length - 1] = sink;
    } else if (rows > 1 && span % 32 == 0 && from % 32 == 0 && in % 32 == 0
        && VectorBlockRows.available()
        && (tensor instanceof WeightTensor.Q8_0
            || tensor instanceof WeightTensor.Halves h && h.brain()
            || tensor instanceof WeightTensor.Q4_0 && rows <= Q4_TILE_ROWS)) {
      int pairs = (columnTo - columnFrom) / 2;
      int unit0 = (columnFrom * in + from) / 32;
      if (tensor instanceof WeightTensor.Q8_0 q) {
        VectorBlockRows.multiply(q.scales(), q.quants(), null, null, unit0, in / 32, span / 32,
            2 * pairs, x, xAt, xStride, rows, out, outAt, outStride);
      } else if (tensor instanceof WeightTensor.Halves h) {
        VectorBlockRows.multiply(null, null, null, h.bits(), unit0, in / 32, span / 32,
            2 * pairs, x, xAt, xStride, rows, out, outAt, outStride);
      } else {
        WeightTensor.Q4_0 q = (WeightTensor.Q4_0) tensor;
        VectorBlockRows.multiply(q.scales(), null, q.nibbles(), null, unit0, in / 32, span / 32,
            2 * pairs, x, xAt, xStride, rows, out, outAt, outStride);
      }
      c += 2 * pairs;
    }
    if (c == columnTo) {
      return;
    }
    VectorBlocks.Decoder decoder = VectorBlocks.decoder(tensor);
    float[] w = new float[COLUMNS * span]; // [COLUMNS, span]: dequantized weight rows
    float[] classes = new float[4 * 3 * COLUMNS * 8]; // [class, row, column, lane]
    for (; c < columnTo; c += COLUMNS) {
      int columns = Math.min(COLUMNS, columnTo - c);
      for (int k = 0; k < columns; k++) {
        decoder.decode(tensor, (c + k) * in + from, span, w, k * span);
      }
      if (columns < COLUMNS) { // the columns left over: zeros, whose sums are dropped
        Arrays.fill(w, columns * span, COLUMNS * span, 0f);
      }
      int o = outAt + c - columnFrom;
      int t = 0;
      for (; t + 3 <= rows; t += 3) {
        Arrays.fill(classes, 0f);
        for (int piece = 0; piece < span; piece += PIECE) {
          tile3x4(w, span, x, t * xStride + xAt, xStride, classes, piece, Math.min(span, piece + PIECE));
        }
        for (int r = 0; r < 3; r++) {
          for (int k = 0; k < columns; k++) {
            out[(t + r) * outStride + o + k] = finish(classes, 4 * r + k, 12, lanes);
          }
        }
      }
      if (t + 2 <= rows) {
        Arrays.fill(classes, 0f);
        for (int piece = 0; piece < span; piece += PIECE) {
          tile2x4(w, span, x, t * xStride + xAt, xStride, classes, piece, Math.min(span, piece + PIECE));
        }
        for (int r = 0; r < 2; r++) {
          for (int k = 0; k < columns; k++) {
            out[(t + r) * outStride + o + k] = finish(classes, 4 * r + k, 8, lanes);
          }
        }
        t += 2;
      }
      for (; t < rows; t++) {
        Arrays.fill(classes, 0f);
        for (int piece = 0; piece < span; piece += PIECE) {
          tile1x4(w, span, x, t * xStride + xAt, classes, piece, Math.min(span, piece + PIECE));
        }
        for (int k = 0; k < columns; k++) {
          out[t * outStride + o + k] = finish(classes, k, 4, lanes);
        }
      }
    }
  }

  /** The 8 lanes of an accumulator at lanes[at] summed in a fixed order. */
  static float sum(float[] lanes, int at) {
    return ((lanes[at] + lanes[at + 4]) + (lanes[at + 2] + lanes[at + 6]))
        + ((lanes[at + 1] + lanes[at + 5]) + (lanes[at + 3] + lanes[at + 7]));
  }

  /**
   * The sum of accumulator {@code pair} of a tile whose four classes lie {@code pairs} vectors
   * apart in {@code classes}: {@code (a0 + a1) + (a2 + a3)}, then its lanes.
   */
  private static float finish(float[] classes, int pair, int pairs, float[] lanes) {
    int stride = 8 * pairs;
    int at = 8 * pair;
    FloatVector a0 = FloatVector.fromArray(FLOATS, classes, at);
    FloatVector a1 = FloatVector.fromArray(FLOATS, classes, at + stride);
    FloatVector a2 = FloatVector.fromArray(FLOATS, classes, at + 2 * stride);
    FloatVector a3 = FloatVector.fromArray(FLOATS, classes, at + 3 * stride);
    a0.add(a1).add(a2.add(a3)).intoArray(lanes, 0);
    return sum(lanes, 0);
  }

  /**
   * Three rows of x against four dequantized columns over values [from, to), one pass per
   * accumulator class j (chunks j, j + 4, ...), so twelve accumulators at a time: class j of (row r,
   * column k) continues from and goes back to classes[8 (12 j + 4 r + k)].
   */
  private static void tile3x4(float[] w, int span, float[] x, int xo, int xStride,
      float[] classes, int from, int to) {
    int x1 = xo + xStride;
    int x2 = x1 + xStride;
    for (int j = 0; j < 4; j++) {
      int at = 96 * j;
      FloatVector a00 = FloatVector.fromArray(FLOATS, classes, at);
      FloatVector a01 = FloatVector.fromArray(FLOATS, classes, at + 8);
      FloatVector a02 = FloatVector.fromArray(FLOATS, classes, at + 16);
      FloatVector a03 = FloatVector.fromArray(FLOATS, classes, at + 24);
      FloatVector a10 = FloatVector.fromArray(FLOATS, classes, at + 32);
      FloatVector a11 = FloatVector.fromArray(FLOATS, classes, at + 40);
      FloatVector a12 = FloatVector.fromArray(FLOATS, classes, at + 48);
      FloatVector a13 = FloatVector.fromArray(FLOATS, classes, at + 56);
      FloatVector a20 = FloatVector.fromArray(FLOATS, classes, at + 64);
      FloatVector a21 = FloatVector.fromArray(FLOATS, classes, at + 72);
      FloatVector a22 = FloatVector.fromArray(FLOATS, classes, at + 80);
      FloatVector a23 = FloatVector.fromArray(FLOATS, classes, at + 88);
      for (int r = from + 8 * j; r < to; r += 32) {
        FloatVector v0 = FloatVector.fromArray(FLOATS, w, r);
        FloatVector v1 = FloatVector.fromArray(FLOATS, w, span + r);
        FloatVector v2 = FloatVector.fromArray(FLOATS, w, 2 * span + r);
        FloatVector v3 = FloatVector.fromArray(FLOATS, w, 3 * span + r);
        FloatVector xv = FloatVector.fromArray(FLOATS, x, xo + r);
        a00 = v0.fma(xv, a00);
        a01 = v1.fma(xv, a01);
        a02 = v2.fma(xv, a02);
        a03 = v3.fma(xv, a03);
        xv = FloatVector.fromArray(FLOATS, x, x1 + r);
        a10 = v0.fma(xv, a10);
        a11 = v1.fma(xv, a11);
        a12 = v2.fma(xv, a12);
        a13 = v3.fma(xv, a13);
        xv = FloatVector.fromArray(FLOATS, x, x2 + r);
        a20 = v0.fma(xv, a20);
        a21 = v1.fma(xv, a21);
        a22 = v2.fma(xv, a22);
        a23 = v3.fma(xv, a23);
      }
      a00.intoArray(classes, at);
      a01.intoArray(classes, at + 8);
      a02.intoArray(classes, at + 16);
      a03.intoArray(classes, at + 24);
      a10.intoArray(classes, at + 32);
      a11.intoArray(classes, at + 40);
      a12.intoArray(classes, at + 48);
      a13.intoArray(classes, at + 56);
      a20.intoArray(classes, at + 64);
      a21.intoArray(classes, at + 72);
      a22.intoArray(classes, at + 80);
      a23.intoArray(classes, at + 88);
    }
  }

  /** Two rows of x against four dequantized columns, as {@link #tile3x4}: class j of (row r,
   * column k) at classes[8 (8 j + 4 r + k)]. */
  private static void tile2x4(float[] w, int span, float[] x, int xo, int xStride,
      float[] classes, int from, int to) {
    int x1 = xo + xStride;
    for (int j = 0; j < 4; j++) {
      int at = 64 * j;
      FloatVector a00 = FloatVector.fromArray(FLOATS, classes, at);
      FloatVector a01 = FloatVector.fromArray(FLOATS, classes, at + 8);
      FloatVector a02 = FloatVector.fromArray(FLOATS, classes, at + 16);
      FloatVector a03 = FloatVector.fromArray(FLOATS, classes, at + 24);
      FloatVector a10 = FloatVector.fromArray(FLOATS, classes, at + 32);
      FloatVector a11 = FloatVector.fromArray(FLOATS, classes, at + 40);
      FloatVector a12 = FloatVector.fromArray(FLOATS, classes, at + 48);
      FloatVector a13 = FloatVector.fromArray(FLOATS, classes, at + 56);
      for (int r = from + 8 * j; r < to; r += 32) {
        FloatVector v0 = FloatVector.fromArray(FLOATS, w, r);
        FloatVector v1 = FloatVector.fromArray(FLOATS, w, span + r);
        FloatVector v2 = FloatVector.fromArray(FLOATS, w, 2 * span + r);
        FloatVector v3 = FloatVector.fromArray(FLOATS, w, 3 * span + r);
        FloatVector xv = FloatVector.fromArray(FLOATS, x, xo + r);
        a00 = v0.fma(xv, a00);
        a01 = v1.fma(xv, a01);
        a02 = v2.fma(xv, a02);
        a03 = v3.fma(xv, a03);
        xv = FloatVector.fromArray(FLOATS, x, x1 + r);
        a10 = v0.fma(xv, a10);
        a11 = v1.fma(xv, a11);
        a12 = v2.fma(xv, a12);
        a13 = v3.fma(xv, a13);
      }
      a00.intoArray(classes, at);
      a01.intoArray(classes, at + 8);
      a02.intoArray(classes, at + 16);
      a03.intoArray(classes, at + 24);
      a10.intoArray(classes, at + 32);
      a11.intoArray(classes, at + 40);
      a12.intoArray(classes, at + 48);
      a13.intoArray(classes, at + 56);
    }
  }

  /** One row of x against four dequantized columns, as {@link #tile3x4}: class j of column k at
   * classes[8 (4 j + k)]. */
  private static void tile1x4(float[] w, int span, float[] x, int xo, float[] classes, int from,
      int to) {
    for (int j = 0; j < 4; j++) {
      FloatVector a0 = FloatVector.fromArray(FLOATS, classes, 32 * j);
      FloatVector a1 = FloatVector.fromArray(FLOATS, classes, 32 * j + 8);
      FloatVector a2 = FloatVector.fromArray(FLOATS, classes, 32 * j + 16);
      FloatVector a3 = FloatVector.fromArray(FLOATS, classes, 32 * j + 24);
      for (int r = from + 8 * j; r < to; r += 32) {
        FloatVector xv = FloatVector.fromArray(FLOATS, x, xo + r);
        a0 = FloatVector.fromArray(FLOATS, w, r).fma(xv, a0);
        a1 = FloatVector.fromArray(FLOATS, w, span + r).fma(xv, a1);
        a2 = FloatVector.fromArray(FLOATS, w, 2 * span + r).fma(xv, a2);
        a3 = FloatVector.fromArray(FLOATS, w, 3 * span + r).fma(xv, a3);
      }
      a0.intoArray(classes, 32 * j);
      a1.intoArray(classes, 32 * j + 8);
      a2.intoArray(classes, 32 * j + 16);
      a3.intoArray(classes, 32 * j + 24);
    }
  }
}
