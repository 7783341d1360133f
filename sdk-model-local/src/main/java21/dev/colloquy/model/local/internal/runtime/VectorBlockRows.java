package dev.colloquy.model.local.internal.runtime;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Several activation rows against Q8_0, Q4_0 or bfloat16 columns with 512-bit vectors, each weight
 * dequantized (or widened) once in registers for all the rows of a tile (batched decoding: one row
 * per conversation; prefill).
 *
 * <p>Why: the buffered path of {@link VectorBlockKernel} stores dequantized columns and reloads
 * them per tile, one accumulator class per pass, and measured about as fast per weight-row with 8
 * rows as the fused one-row path with 1, so 8 conversations decoded together were barely faster
 * than one. With 32 vector registers a tile of 2 columns by 4 rows keeps its 16 accumulators, its
 * 8 activation vectors and its weights in registers.
 *
 * <p>Each (row, column) sum takes exactly the operations of {@code VectorBlocks.dot4Q8Wide} (Q4_0:
 * {@code dot4Q4Wide}, its 16 weights from two ints of 8 nibbles, {@code (q - 8) * s} in one fused
 * multiply-add; bfloat16: {@code dot4Bfloat16}, whose four 8-lane accumulators are the halves of the
 * two wide ones here): per
 * block, lanes 0-15 then 16-31 of the weights times x into the wide accumulators a01 and a23, then
 * {@code (a0 + a1) + (a2 + a3)} and the lanes in {@link VectorBlockKernel#sum}'s order; so a row's
 * result does not depend on the other rows of the step (the {@link BlockKernel} contract). A tile
 * with fewer real rows repeats one (its sums are dropped); no vector crosses a method boundary.
 */
final class VectorBlockRows {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_512;
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_128;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_256;
  /** Floats of a tile's accumulators: 4 rows x 2 columns x 32. */
  private static final int LANES = 256;
  /** Blocks of a piece of the row range: 4 rows of x take 8 KB. */
  private static final int PIECE = 16;

  private VectorBlockRows() {}

  /** Whether this processor takes the tiles (512-bit vectors). */
  static boolean available() {
    return FloatVector.SPECIES_PREFERRED.length() >= 16;
  }

  /**
   * Rows [0, rows) of x (row t at {@code xAt + t * xStride}, {@code units} blocks long) against the
   * Q8_0 ({@code quants}), Q4_0 ({@code nibbles}) or bfloat16 ({@code halves}; the others are null)
   * columns [0, columns) whose units of 32 values start at {@code unit0 + k * stride}; sum (t, k) into {@code out[t * outStride + o + k]}.
   */
  static void multiply(short[] scales, byte[] quants, int[] nibbles, short[] halves, int unit0,
      int stride,
      int units, int columns, float[] x, int xAt, int xStride, int rows, float[] out, int o,
      int outStride) {
    int tiles = (rows + 3) / 4;
    float[] lanes = new float[tiles * LANES]; // [tile][row][column][32]: the accumulators
    for (int k = 0; k + 2 <= columns; k += 2) {
      int c0 = unit0 + k * stride;
      int c1 = c0 + stride;
      Arrays.fill(lanes, 0f);
      // The row range in pieces, every tile through a piece before the next, so that the pieces
      // of x stay in the L1 cache for all tiles (8 rows of 2048 values would not).
      for (int from = 0; from < units; from += PIECE) {
        int to = Math.min(units, from + PIECE);
        for (int t = 0; t < rows; t += 4) {
          int real = Math.min(4, rows - t);
          int x0 = xAt + t * xStride;
          // Missing rows repeat the last real one.
          int x1 = xAt + (t + Math.min(1, real - 1)) * xStride;
          int x2 = xAt + (t + Math.min(2, real - 1)) * xStride;
          int x3 = xAt + (t + Math.min(3, real - 1)) * xStride;
          int at = t / 4 * LANES;
          if (halves != null && real <= 2) {
            bf16Tile2(halves, c0, c1, from, to, x, x0, x1, lanes, at);
          } else if (halves != null) {
            bf16Tile4(halves, c0, c1, from, to, x, x0, x1, x2, x3, lanes, at);
          } else if (quants == null && real <= 2) {
            q4Tile2(scales, nibbles, c0, c1, from, to, x, x0, x1, lanes, at);
          } else if (quants == null) {
            q4Tile4(scales, nibbles, c0, c1, from, to, x, x0, x1, x2, x3, lanes, at);
          } else if (real <= 2) {
            q8Tile2(scales, quants, c0, c1, from, to, x, x0, x1, lanes, at);
          } else {
            q8Tile4(scales, quants, c0, c1, from, to, x, x0, x1, x2, x3, lanes, at);
          }
        }
      }
      for (int t = 0; t < rows; t++) {
        int at = t * outStride + o + k;
        int tile = t / 4 * LANES + 64 * (t % 4);
        out[at] = finish(lanes, tile);
        out[at + 1] = finish(lanes, tile + 32);
      }
    }
  }

  /** A sum from the wide accumulators a01 (lanes[at, at + 16)) and a23 (the next 16). */
  private static float finish(float[] lanes, int at) {
    float v0 = (lanes[at] + lanes[at + 8]) + (lanes[at + 16] + lanes[at + 24]);
    float v1 = (lanes[at + 1] + lanes[at + 9]) + (lanes[at + 17] + lanes[at + 25]);
    float v2 = (lanes[at + 2] + lanes[at + 10]) + (lanes[at + 18] + lanes[at + 26]);
    float v3 = (lanes[at + 3] + lanes[at + 11]) + (lanes[at + 19] + lanes[at + 27]);
    float v4 = (lanes[at + 4] + lanes[at + 12]) + (lanes[at + 20] + lanes[at + 28]);
    float v5 = (lanes[at + 5] + lanes[at + 13]) + (lanes[at + 21] + lanes[at + 29]);
    float v6 = (lanes[at + 6] + lanes[at + 14]) + (lanes[at + 22] + lanes[at + 30]);
    float v7 = (lanes[at + 7] + lanes[at + 15]) + (lanes[at + 23] + lanes[at + 31]);
    return ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7));
  }

  /**
   * Four rows (at x0..x3) by the columns whose first blocks are c0 and c1: accumulator (row r,
   * column k) into lanes[64 r + 32 k, + 32).
   */
  private static void q8Tile4(short[] scales, byte[] quants, int c0, int c1, int from, int to,
      float[] x, int x0, int x1, int x2, int x3, float[] lanes, int at) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, lanes, at);
    FloatVector b00 = FloatVector.fromArray(FLOATS, lanes, at + 16);
    FloatVector a01 = FloatVector.fromArray(FLOATS, lanes, at + 32);
    FloatVector b01 = FloatVector.fromArray(FLOATS, lanes, at + 48);
    FloatVector a10 = FloatVector.fromArray(FLOATS, lanes, at + 64);
    FloatVector b10 = FloatVector.fromArray(FLOATS, lanes, at + 80);
    FloatVector a11 = FloatVector.fromArray(FLOATS, lanes, at + 96);
    FloatVector b11 = FloatVector.fromArray(FLOATS, lanes, at + 112);
    FloatVector a20 = FloatVector.fromArray(FLOATS, lanes, at + 128);
    FloatVector b20 = FloatVector.fromArray(FLOATS, lanes, at + 144);
    FloatVector a21 = FloatVector.fromArray(FLOATS, lanes, at + 160);
    FloatVector b21 = FloatVector.fromArray(FLOATS, lanes, at + 176);
    FloatVector a30 = FloatVector.fromArray(FLOATS, lanes, at + 192);
    FloatVector b30 = FloatVector.fromArray(FLOATS, lanes, at + 208);
    FloatVector a31 = FloatVector.fromArray(FLOATS, lanes, at + 224);
    FloatVector b31 = FloatVector.fromArray(FLOATS, lanes, at + 240);
    for (int u = from; u < to; u++) {
      int xu = 32 * u;
      FloatVector y0 = FloatVector.fromArray(FLOATS, x, x0 + xu);
      FloatVector z0 = FloatVector.fromArray(FLOATS, x, x0 + xu + 16);
      FloatVector y1 = FloatVector.fromArray(FLOATS, x, x1 + xu);
      FloatVector z1 = FloatVector.fromArray(FLOATS, x, x1 + xu + 16);
      FloatVector y2 = FloatVector.fromArray(FLOATS, x, x2 + xu);
      FloatVector z2 = FloatVector.fromArray(FLOATS, x, x2 + xu + 16);
      FloatVector y3 = FloatVector.fromArray(FLOATS, x, x3 + xu);
      FloatVector z3 = FloatVector.fromArray(FLOATS, x, x3 + xu + 16);
      float s = Float.float16ToFloat(scales[c0 + u]);
      int b = 32 * (c0 + u);
      FloatVector w = ((FloatVector) ByteVector.fromArray(BYTES, quants, b)
          .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(s);
      FloatVector v = ((FloatVector) ByteVector.fromArray(BYTES, quants, b + 16)
          .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(s);
      a00 = w.fma(y0, a00);
      b00 = v.fma(z0, b00);
      a10 = w.fma(y1, a10);
      b10 = v.fma(z1, b10);
      a20 = w.fma(y2, a20);
      b20 = v.fma(z2, b20);
      a30 = w.fma(y3, a30);
      b30 = v.fma(z3, b30);
      s = Float.float16ToFloat(scales[c1 + u]);
      b = 32 * (c1 + u);
      w = ((FloatVector) ByteVector.fromArray(BYTES, quants, b)
          .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(s);
      v = ((FloatVector) ByteVector.fromArray(BYTES, quants, b + 16)
          .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(s);
      a01 = w.fma(y0, a01);
      b01 = v.fma(z0, b01);
      a11 = w.fma(y1, a11);
      b11 = v.fma(z1, b11);
      a21 = w.fma(y2, a21);
      b21 = v.fma(z2, b21);
      a31 = w.fma(y3, a31);
      b31 = v.fma(z3, b31);
    }
    a00.intoArray(lanes, at);
    b00.intoArray(lanes, at + 16);
    a01.intoArray(lanes, at + 32);
    b01.intoArray(lanes, at + 48);
    a10.intoArray(lanes, at + 64);
    b10.intoArray(lanes, at + 80);
    a11.intoArray(lanes, at + 96);
    b11.intoArray(lanes, at + 112);
    a20.intoArray(lanes, at + 128);
    b20.intoArray(lanes, at + 144);
    a21.intoArray(lanes, at + 160);
    b21.intoArray(lanes, at + 176);
    a30.intoArray(lanes, at + 192);
    b30.intoArray(lanes, at + 208);
    a31.intoArray(lanes, at + 224);
    b31.intoArray(lanes, at + 240);
  }

  /** As {@link #q8Tile4} with two rows (at x0 and x1). */
  private static void q8Tile2(short[] scales, byte[] quants, int c0, int c1, int from, int to,
      float[] x, int x0, int x1, float[] lanes, int at) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, lanes, at);
    FloatVector b00 = FloatVector.fromArray(FLOATS, lanes, at + 16);
    FloatVector a01 = FloatVector.fromArray(FLOATS, lanes, at + 32);
    FloatVector b01 = FloatVector.fromArray(FLOATS, lanes, at + 48);
    FloatVector a10 = FloatVector.fromArray(FLOATS, lanes, at + 64);
    FloatVector b10 = FloatVector.fromArray(FLOATS, lanes, at + 80);
    FloatVector a11 = FloatVector.fromArray(FLOATS, lanes, at + 96);
    FloatVector b11 = FloatVector.fromArray(FLOATS, lanes, at + 112);
    for (int u = from; u < to; u++) {
      int xu = 32 * u;
      FloatVector y0 = FloatVector.fromArray(FLOATS, x, x0 + xu);
      FloatVector z0 = FloatVector.fromArray(FLOATS, x, x0 + xu + 16);
      FloatVector y1 = FloatVector.fromArray(FLOATS, x, x1 + xu);
      FloatVector z1 = FloatVector.fromArray(FLOATS, x, x1 + xu + 16);
      float s = Float.float16ToFloat(scales[c0 + u]);
      int b = 32 * (c0 + u);
      FloatVector w = ((FloatVector) ByteVector.fromArray(BYTES, quants, b)
          .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(s);
      FloatVector v = ((FloatVector) ByteVector.fromArray(BYTES, quants, b + 16)
          .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(s);
      a00 = w.fma(y0, a00);
      b00 = v.fma(z0, b00);
      a10 = w.fma(y1, a10);
      b10 = v.fma(z1, b10);
      s = Float.float16ToFloat(scales[c1 + u]);
      b = 32 * (c1 + u);
      w = ((FloatVector) ByteVector.fromArray(BYTES, quants, b)
          .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(s);
      v = ((FloatVector) ByteVector.fromArray(BYTES, quants, b + 16)
          .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(s);
      a01 = w.fma(y0, a01);
      b01 = v.fma(z0, b01);
      a11 = w.fma(y1, a11);
      b11 = v.fma(z1, b11);
    }
    a00.intoArray(lanes, at);
    b00.intoArray(lanes, at + 16);
    a01.intoArray(lanes, at + 32);
    b01.intoArray(lanes, at + 48);
    a10.intoArray(lanes, at + 64);
    b10.intoArray(lanes, at + 80);
    a11.intoArray(lanes, at + 96);
    b11.intoArray(lanes, at + 112);
  }

  /** As {@link #q8Tile4} for bfloat16 (units of 32 values, no scale). */
  private static void bf16Tile4(short[] halves, int c0, int c1, int from, int to,
      float[] x, int x0, int x1, int x2, int x3, float[] lanes, int at) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, lanes, at);
    FloatVector b00 = FloatVector.fromArray(FLOATS, lanes, at + 16);
    FloatVector a01 = FloatVector.fromArray(FLOATS, lanes, at + 32);
    FloatVector b01 = FloatVector.fromArray(FLOATS, lanes, at + 48);
    FloatVector a10 = FloatVector.fromArray(FLOATS, lanes, at + 64);
    FloatVector b10 = FloatVector.fromArray(FLOATS, lanes, at + 80);
    FloatVector a11 = FloatVector.fromArray(FLOATS, lanes, at + 96);
    FloatVector b11 = FloatVector.fromArray(FLOATS, lanes, at + 112);
    FloatVector a20 = FloatVector.fromArray(FLOATS, lanes, at + 128);
    FloatVector b20 = FloatVector.fromArray(FLOATS, lanes, at + 144);
    FloatVector a21 = FloatVector.fromArray(FLOATS, lanes, at + 160);
    FloatVector b21 = FloatVector.fromArray(FLOATS, lanes, at + 176);
    FloatVector a30 = FloatVector.fromArray(FLOATS, lanes, at + 192);
    FloatVector b30 = FloatVector.fromArray(FLOATS, lanes, at + 208);
    FloatVector a31 = FloatVector.fromArray(FLOATS, lanes, at + 224);
    FloatVector b31 = FloatVector.fromArray(FLOATS, lanes, at + 240);
    for (int u = from; u < to; u++) {
      int xu = 32 * u;
      FloatVector y0 = FloatVector.fromArray(FLOATS, x, x0 + xu);
      FloatVector z0 = FloatVector.fromArray(FLOATS, x, x0 + xu + 16);
      FloatVector y1 = FloatVector.fromArray(FLOATS, x, x1 + xu);
      FloatVector z1 = FloatVector.fromArray(FLOATS, x, x1 + xu + 16);
      FloatVector y2 = FloatVector.fromArray(FLOATS, x, x2 + xu);
      FloatVector z2 = FloatVector.fromArray(FLOATS, x, x2 + xu + 16);
      FloatVector y3 = FloatVector.fromArray(FLOATS, x, x3 + xu);
      FloatVector z3 = FloatVector.fromArray(FLOATS, x, x3 + xu + 16);
      int b = 32 * (c0 + u);
      FloatVector w = brain(halves, b);
      FloatVector v = brain(halves, b + 16);
      a00 = w.fma(y0, a00);
      b00 = v.fma(z0, b00);
      a10 = w.fma(y1, a10);
      b10 = v.fma(z1, b10);
      a20 = w.fma(y2, a20);
      b20 = v.fma(z2, b20);
      a30 = w.fma(y3, a30);
      b30 = v.fma(z3, b30);
      b = 32 * (c1 + u);
      w = brain(halves, b);
      v = brain(halves, b + 16);
      a01 = w.fma(y0, a01);
      b01 = v.fma(z0, b01);
      a11 = w.fma(y1, a11);
      b11 = v.fma(z1, b11);
      a21 = w.fma(y2, a21);
      b21 = v.fma(z2, b21);
      a31 = w.fma(y3, a31);
      b31 = v.fma(z3, b31);
    }
    a00.intoArray(lanes, at);
    b00.intoArray(lanes, at + 16);
    a01.intoArray(lanes, at + 32);
    b01.intoArray(lanes, at + 48);
    a10.intoArray(lanes, at + 64);
    b10.intoArray(lanes, at + 80);
    a11.intoArray(lanes, at + 96);
    b11.intoArray(lanes, at + 112);
    a20.intoArray(lanes, at + 128);
    b20.intoArray(lanes, at + 144);
    a21.intoArray(lanes, at + 160);
    b21.intoArray(lanes, at + 176);
    a30.intoArray(lanes, at + 192);
    b30.intoArray(lanes, at + 208);
    a31.intoArray(lanes, at + 224);
    b31.intoArray(lanes, at + 240);
  }

  /** As {@link #q8Tile4} with two rows (at x0 and x1). */
  private static void bf16Tile2(short[] halves, int c0, int c1, int from, int to,
      float[] x, int x0, int x1, float[] lanes, int at) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, lanes, at);
    FloatVector b00 = FloatVector.fromArray(FLOATS, lanes, at + 16);
    FloatVector a01 = FloatVector.fromArray(FLOATS, lanes, at + 32);
    FloatVector b01 = FloatVector.fromArray(FLOATS, lanes, at + 48);
    FloatVector a10 = FloatVector.fromArray(FLOATS, lanes, at + 64);
    FloatVector b10 = FloatVector.fromArray(FLOATS, lanes, at + 80);
    FloatVector a11 = FloatVector.fromArray(FLOATS, lanes, at + 96);
    FloatVector b11 = FloatVector.fromArray(FLOATS, lanes, at + 112);
    for (int u = from; u < to; u++) {
      int xu = 32 * u;
      FloatVector y0 = FloatVector.fromArray(FLOATS, x, x0 + xu);
      FloatVector z0 = FloatVector.fromArray(FLOATS, x, x0 + xu + 16);
      FloatVector y1 = FloatVector.fromArray(FLOATS, x, x1 + xu);
      FloatVector z1 = FloatVector.fromArray(FLOATS, x, x1 + xu + 16);
      int b = 32 * (c0 + u);
      FloatVector w = brain(halves, b);
      FloatVector v = brain(halves, b + 16);
      a00 = w.fma(y0, a00);
      b00 = v.fma(z0, b00);
      a10 = w.fma(y1, a10);
      b10 = v.fma(z1, b10);
      b = 32 * (c1 + u);
      w = brain(halves, b);
      v = brain(halves, b + 16);
      a01 = w.fma(y0, a01);
      b01 = v.fma(z0, b01);
      a11 = w.fma(y1, a11);
      b11 = v.fma(z1, b11);
    }
    a00.intoArray(lanes, at);
    b00.intoArray(lanes, at + 16);
    a01.intoArray(lanes, at + 32);
    b01.intoArray(lanes, at + 48);
    a10.intoArray(lanes, at + 64);
    b10.intoArray(lanes, at + 80);
    a11.intoArray(lanes, at + 96);
    b11.intoArray(lanes, at + 112);
  }

  /** Sixteen bfloat16 values from halves[at] to floats: widened, then shifted into the high half. */
  private static FloatVector brain(short[] halves, int at) {
    return ((IntVector) ShortVector.fromArray(SHORTS, halves, at)
            .convertShape(VectorOperators.S2I, INTS, 0))
        .lanewise(VectorOperators.LSHL, 16)
        .reinterpretAsFloats();
  }

  /** As {@link #q8Tile4} for Q4_0. */
  private static void q4Tile4(short[] scales, int[] nibbles, int c0, int c1, int from, int to,
      float[] x, int x0, int x1, int x2, int x3, float[] lanes, int at) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, lanes, at);
    FloatVector b00 = FloatVector.fromArray(FLOATS, lanes, at + 16);
    FloatVector a01 = FloatVector.fromArray(FLOATS, lanes, at + 32);
    FloatVector b01 = FloatVector.fromArray(FLOATS, lanes, at + 48);
    FloatVector a10 = FloatVector.fromArray(FLOATS, lanes, at + 64);
    FloatVector b10 = FloatVector.fromArray(FLOATS, lanes, at + 80);
    FloatVector a11 = FloatVector.fromArray(FLOATS, lanes, at + 96);
    FloatVector b11 = FloatVector.fromArray(FLOATS, lanes, at + 112);
    FloatVector a20 = FloatVector.fromArray(FLOATS, lanes, at + 128);
    FloatVector b20 = FloatVector.fromArray(FLOATS, lanes, at + 144);
    FloatVector a21 = FloatVector.fromArray(FLOATS, lanes, at + 160);
    FloatVector b21 = FloatVector.fromArray(FLOATS, lanes, at + 176);
    FloatVector a30 = FloatVector.fromArray(FLOATS, lanes, at + 192);
    FloatVector b30 = FloatVector.fromArray(FLOATS, lanes, at + 208);
    FloatVector a31 = FloatVector.fromArray(FLOATS, lanes, at + 224);
    FloatVector b31 = FloatVector.fromArray(FLOATS, lanes, at + 240);
    for (int u = from; u < to; u++) {
      int xu = 32 * u;
      FloatVector y0 = FloatVector.fromArray(FLOATS, x, x0 + xu);
      FloatVector z0 = FloatVector.fromArray(FLOATS, x, x0 + xu + 16);
      FloatVector y1 = FloatVector.fromArray(FLOATS, x, x1 + xu);
      FloatVector z1 = FloatVector.fromArray(FLOATS, x, x1 + xu + 16);
      FloatVector y2 = FloatVector.fromArray(FLOATS, x, x2 + xu);
      FloatVector z2 = FloatVector.fromArray(FLOATS, x, x2 + xu + 16);
      FloatVector y3 = FloatVector.fromArray(FLOATS, x, x3 + xu);
      FloatVector z3 = FloatVector.fromArray(FLOATS, x, x3 + xu + 16);
      float s = Float.float16ToFloat(scales[c0 + u]);
      int n = 4 * (c0 + u);
      FloatVector w = ((FloatVector) IntVector.broadcast(INTS, nibbles[n])
          .blend(nibbles[n + 1], VectorBlocks.HIGH_HALF)
          .lanewise(VectorOperators.LSHR, VectorBlocks.WIDE_NIBBLE_SHIFTS).and(0x0f)
          .convert(VectorOperators.I2F, 0)).fma(s, -8 * s);
      FloatVector v = ((FloatVector) IntVector.broadcast(INTS, nibbles[n + 2])
          .blend(nibbles[n + 3], VectorBlocks.HIGH_HALF)
          .lanewise(VectorOperators.LSHR, VectorBlocks.WIDE_NIBBLE_SHIFTS).and(0x0f)
          .convert(VectorOperators.I2F, 0)).fma(s, -8 * s);
      a00 = w.fma(y0, a00);
      b00 = v.fma(z0, b00);
      a10 = w.fma(y1, a10);
      b10 = v.fma(z1, b10);
      a20 = w.fma(y2, a20);
      b20 = v.fma(z2, b20);
      a30 = w.fma(y3, a30);
      b30 = v.fma(z3, b30);
      s = Float.float16ToFloat(scales[c1 + u]);
      n = 4 * (c1 + u);
      w = ((FloatVector) IntVector.broadcast(INTS, nibbles[n])
          .blend(nibbles[n + 1], VectorBlocks.HIGH_HALF)
          .lanewise(VectorOperators.LSHR, VectorBlocks.WIDE_NIBBLE_SHIFTS).and(0x0f)
          .convert(VectorOperators.I2F, 0)).fma(s, -8 * s);
      v = ((FloatVector) IntVector.broadcast(INTS, nibbles[n + 2])
          .blend(nibbles[n + 3], VectorBlocks.HIGH_HALF)
          .lanewise(VectorOperators.LSHR, VectorBlocks.WIDE_NIBBLE_SHIFTS).and(0x0f)
          .convert(VectorOperators.I2F, 0)).fma(s, -8 * s);
      a01 = w.fma(y0, a01);
      b01 = v.fma(z0, b01);
      a11 = w.fma(y1, a11);
      b11 = v.fma(z1, b11);
      a21 = w.fma(y2, a21);
      b21 = v.fma(z2, b21);
      a31 = w.fma(y3, a31);
      b31 = v.fma(z3, b31);
    }
    a00.intoArray(lanes, at);
    b00.intoArray(lanes, at + 16);
    a01.intoArray(lanes, at + 32);
    b01.intoArray(lanes, at + 48);
    a10.intoArray(lanes, at + 64);
    b10.intoArray(lanes, at + 80);
    a11.intoArray(lanes, at + 96);
    b11.intoArray(lanes, at + 112);
    a20.intoArray(lanes, at + 128);
    b20.intoArray(lanes, at + 144);
    a21.intoArray(lanes, at + 160);
    b21.intoArray(lanes, at + 176);
    a30.intoArray(lanes, at + 192);
    b30.intoArray(lanes, at + 208);
    a31.intoArray(lanes, at + 224);
    b31.intoArray(lanes, at + 240);
  }


  private static void q4Tile2(short[] scales, int[] nibbles, int c0, int c1, int from, int to,
      float[] x, int x0, int x1, float[] lanes, int at) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, lanes, at);
    FloatVector b00 = FloatVector.fromArray(FLOATS, lanes, at + 16);
    FloatVector a01 = FloatVector.fromArray(FLOATS, lanes, at + 32);
    FloatVector b01 = FloatVector.fromArray(FLOATS, lanes, at + 48);
    FloatVector a10 = FloatVector.fromArray(FLOATS, lanes, at + 64);
    FloatVector b10 = FloatVector.fromArray(FLOATS, lanes, at + 80);
    FloatVector a11 = FloatVector.fromArray(FLOATS, lanes, at + 96);
    FloatVector b11 = FloatVector.fromArray(FLOATS, lanes, at + 112);
    for (int u = from; u < to; u++) {
      int xu = 32 * u;
      FloatVector y0 = FloatVector.fromArray(FLOATS, x, x0 + xu);
      FloatVector z0 = FloatVector.fromArray(FLOATS, x, x0 + xu + 16);
      FloatVector y1 = FloatVector.fromArray(FLOATS, x, x1 + xu);
      FloatVector z1 = FloatVector.fromArray(FLOATS, x, x1 + xu + 16);
      float s = Float.float16ToFloat(scales[c0 + u]);
      int n = 4 * (c0 + u);
      FloatVector w = ((FloatVector) IntVector.broadcast(INTS, nibbles[n])
          .blend(nibbles[n + 1], VectorBlocks.HIGH_HALF)
          .lanewise(VectorOperators.LSHR, VectorBlocks.WIDE_NIBBLE_SHIFTS).and(0x0f)
          .convert(VectorOperators.I2F, 0)).fma(s, -8 * s);
      FloatVector v = ((FloatVector) IntVector.broadcast(INTS, nibbles[n + 2])
          .blend(nibbles[n + 3], VectorBlocks.HIGH_HALF)
          .lanewise(VectorOperators.LSHR, VectorBlocks.WIDE_NIBBLE_SHIFTS).and(0x0f)
          .convert(VectorOperators.I2F, 0)).fma(s, -8 * s);
      a00 = w.fma(y0, a00);
      b00 = v.fma(z0, b00);
      a10 = w.fma(y1, a10);
      b10 = v.fma(z1, b10);
      s = Float.float16ToFloat(scales[c1 + u]);
      n = 4 * (c1 + u);
      w = ((FloatVector) IntVector.broadcast(INTS, nibbles[n])
          .blend(nibbles[n + 1], VectorBlocks.HIGH_HALF)
          .lanewise(VectorOperators.LSHR, VectorBlocks.WIDE_NIBBLE_SHIFTS).and(0x0f)
          .convert(VectorOperators.I2F, 0)).fma(s, -8 * s);
      v = ((FloatVector) IntVector.broadcast(INTS, nibbles[n + 2])
          .blend(nibbles[n + 3], VectorBlocks.HIGH_HALF)
          .lanewise(VectorOperators.LSHR, VectorBlocks.WIDE_NIBBLE_SHIFTS).and(0x0f)
          .convert(VectorOperators.I2F, 0)).fma(s, -8 * s);
      a01 = w.fma(y0, a01);
      b01 = v.fma(z0, b01);
      a11 = w.fma(y1, a11);
      b11 = v.fma(z1, b11);
    }
    a00.intoArray(lanes, at);
    b00.intoArray(lanes, at + 16);
    a01.intoArray(lanes, at + 32);
    b01.intoArray(lanes, at + 48);
    a10.intoArray(lanes, at + 64);
    b10.intoArray(lanes, at + 80);
    a11.intoArray(lanes, at + 96);
    b11.intoArray(lanes, at + 112);
  }
}
