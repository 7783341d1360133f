package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.WeightTensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Each encoding's weights dequantized 8 at a time into a float vector ({@code q8}, {@code q4},
 * {@code q4K}, {@code q6K}, {@code half}: chunk j of unit u, a unit being 32 values, a block or a K
 * sub-block), for {@link VectorBlockKernel}: summed straight into a column's four accumulators for
 * one activation row ({@code dot4*}), or stored into a buffer that several rows then share ({@link
 * Decoder}). Both call the same chunk method, so a weight is the same float either way.
 *
 * <p>Q8_0's quant bytes become floats by one widening; a 4-bit chunk (one int of 8 nibbles) is
 * broadcast, shifted lane by lane and masked; Q6_K's 2 high bits likewise from a short. Ints
 * become floats with the scale applied by one fused multiply-add: {@code q * s + bias}, where bias
 * folds Q4_0's 8 and Q6_K's 32 (exact, as {@code (q - 8) * s} is) or Q4_K's min.
 *
 * <p>With 512-bit vectors (where the processor has them), one row of Q4_0 or Q8_0 takes two chunks
 * a step, lanes 0-7 and 8-15 of a wide accumulator being two of the four, so each lane takes the
 * same operations and the sums do not change; BF16 and Q4_K measured no faster that way.
 *
 * <p>Why the loops look as they do: C2 stops inlining a method's callees once its graph passes a
 * node budget, and a vector passed to or returned from a call that is not inlined is boxed, which
 * is slower by a hundred times (pattern switches cost budget too: their bootstrap's method handles
 * are inlined, so dispatch is by instanceof). So each {@code dot4*} holds four copies of a small
 * chunk method (one per accumulator), or one for the large ones (Q6_K, F16); each is over C2's
 * 325-byte limit for inlining a hot callee, so it is always compiled on its own; and no vector
 * crosses a call that may stay a call: accumulators leave through {@code lanes}, summed in plain
 * Java.
 */
final class VectorBlocks {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_64;
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_128;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
  // 512-bit vectors where the processor has them: one row of Q8_0 then takes 16 values a step,
  // lanes 0-7 and 8-15 being two of the four accumulators (so the sums are the same). Short rows
  // measured 1.2-1.5x faster on a loaded machine, where long rows seemed 10-20% slower; on a quiet
  // one long rows decode about 6% faster too (docs/benchmarks.md), so every row takes it.
  static final boolean WIDE = FloatVector.SPECIES_PREFERRED.length() >= 16;
  private static final VectorSpecies<Float> WIDE_FLOATS = FloatVector.SPECIES_512;
  private static final VectorSpecies<Byte> WIDE_BYTES = ByteVector.SPECIES_128;
  private static final VectorSpecies<Integer> WIDE_INTS = IntVector.SPECIES_512;
  static final IntVector WIDE_NIBBLE_SHIFTS =
      IntVector.zero(WIDE_INTS).addIndex(4).and(31);
  static final VectorMask<Integer> HIGH_HALF = VectorMask.fromLong(WIDE_INTS, 0xff00L);
  private static final IntVector NIBBLE_SHIFTS = IntVector.zero(INTS).addIndex(4);
  private static final IntVector PAIR_SHIFTS = IntVector.zero(INTS).addIndex(2);

  private VectorBlocks() {
  }

  /**
   * One encoding's dequantizing into a buffer: values [at, at + span) of the tensor into w[wAt, wAt
   * + span), at and span whole units (whole chunks of 8 for 16-bit floats). One object per
   * encoding behind a virtual call: C2 inlines it where one or two encodings are in use, and
   * compiles each on its own where more are (one method holding them all would pass C2's node
   * budget and box its vectors).
   */
  abstract static class Decoder {
    abstract void decode(WeightTensor tensor, int at, int span, float[] w, int wAt);
  }

  private static final Decoder Q8_0 = new Decoder() {
    @Override
    void decode(WeightTensor tensor, int at, int span, float[] w, int wAt) {
      WeightTensor.Q8_0 q = (WeightTensor.Q8_0) tensor;
      short[] scales = q.scales();
      byte[] quants = q.quants();
      int unit = at >>> 5;
      for (int u = 0; u < span / 32; u++) {
        int o = wAt + 32 * u;
        q8(scales, quants, unit + u, 0).intoArray(w, o);
        q8(scales, quants, unit + u, 1).intoArray(w, o + 8);
        q8(scales, quants, unit + u, 2).intoArray(w, o + 16);
        q8(scales, quants, unit + u, 3).intoArray(w, o + 24);
      }
    }
  };

  private static final Decoder Q4_0 = new Decoder() {
    @Override
    void decode(WeightTensor tensor, int at, int span, float[] w, int wAt) {
      WeightTensor.Q4_0 q = (WeightTensor.Q4_0) tensor;
      for (int chunk = 0; chunk < span / 8; chunk++) {
        q4(q.scales(), q.nibbles(), (at >>> 5) + chunk / 4, chunk % 4).intoArray(w, wAt + 8 * chunk);
      }
    }
  };

  private static final Decoder Q4_K = new Decoder() {
    @Override
    void decode(WeightTensor tensor, int at, int span, float[] w, int wAt) {
      WeightTensor.Q4_K q = (WeightTensor.Q4_K) tensor;
      for (int chunk = 0; chunk < span / 8; chunk++) {
        q4K(q.d(), q.dmin(), q.scalesAndMins(), q.nibbles(), (at >>> 5) + chunk / 4, chunk % 4)
            .intoArray(w, wAt + 8 * chunk);
      }
    }
  };

  private static final Decoder Q6_K = new Decoder() {
    @Override
    void decode(WeightTensor tensor, int at, int span, float[] w, int wAt) {
      WeightTensor.Q6_K q = (WeightTensor.Q6_K) tensor;
      for (int chunk = 0; chunk < span / 8; chunk++) {
        q6K(q.d(), q.scales(), q.nibbles(), q.highBits(), (at >>> 5) + chunk / 4, chunk % 4)
            .intoArray(w, wAt + 8 * chunk);
      }
    }
  };

  private static final Decoder HALVES = new Decoder() {
    @Override
    void decode(WeightTensor tensor, int at, int span, float[] w, int wAt) {
      WeightTensor.Halves h = (WeightTensor.Halves) tensor;
      for (int r = 0; r < span; r += 8) {
        half(h.bits(), at + r, h.brain()).intoArray(w, wAt + r);
      }
    }
  };

  /** The decoder of the tensor's encoding. */
  static Decoder decoder(WeightTensor tensor) {
    if (tensor instanceof WeightTensor.Q8_0) {
      return Q8_0;
    } else if (tensor instanceof WeightTensor.Q4_0) {
      return Q4_0;
    } else if (tensor instanceof WeightTensor.Q4_K) {
      return Q4_K;
    } else if (tensor instanceof WeightTensor.Q6_K) {
      return Q6_K;
    } else if (tensor instanceof WeightTensor.Halves) {
      return HALVES;
    }
    throw new IllegalArgumentException(tensor.encoding() + " weights are multiplied as panels");
  }

  /**
   * Whether one row is multiplied straight from the encoding ({@code dot4}), not via decode: F16
   * rows only in whole units of 32 (see {@link #dot4Rotating}).
   */
  static boolean fused(WeightTensor tensor, int span) {
    return !(tensor instanceof WeightTensor.F32)
        && (span % 32 == 0 || tensor instanceof WeightTensor.Halves h && h.brain());
  }

  /**
   * One row of x against four columns of the tensor (a {@link #fused} encoding): values [i0, i0 +
   * span) and the same at i0 + stride, + 2 stride, + 3 stride; their sums into out[o, o + 4).
   */
  static void dot4(WeightTensor tensor, int i0, int stride, int span, float[] x, int xAt,
      float[] lanes, float[] out, int o) {
    if (tensor instanceof WeightTensor.Q8_0 q) {
      dot4Q8(q.scales(), q.quants(), i0 / 32, stride / 32, span / 32, x, xAt, lanes, out, o);
    } else if (tensor instanceof WeightTensor.Q4_0 q) {
      dot4Q4(q.scales(), q.nibbles(), i0 / 32, stride / 32, span / 32, x, xAt, lanes, out, o);
    } else if (tensor instanceof WeightTensor.Q4_K q) {
      dot4Q4K(q, i0 / 32, stride / 32, span / 32, x, xAt, lanes, out, o);
    } else if (tensor instanceof WeightTensor.Halves h && h.brain()) {
      dot4Bfloat16(h.bits(), i0, stride, span, x, xAt, lanes, out, o);
    } else if (tensor instanceof WeightTensor.Q6_K q) {
      dot4Q6K(q, i0 / 32, stride / 32, span / 32, x, xAt, lanes, out, o);
    } else if (tensor instanceof WeightTensor.Halves h) {
      dot4Half(h.bits(), i0, stride, span, x, xAt, lanes, out, o);
    } else {
      throw new IllegalArgumentException(tensor.encoding() + " is not fused");
    }
  }

  // Each dot4* takes its four columns one after another (one stream through memory, as the
  // columns are consecutive rows of the tensor), with four accumulators each, and ends by writing
  // its four sums in plain Java, which also keeps it over C2's 325-byte limit for inlining a hot
  // callee: so it is always compiled on its own, within the node budget.

  private static void dot4Q8(short[] scales, byte[] quants, int unit0, int stride, int units,
      float[] x, int xAt, float[] lanes, float[] out, int o) {
    if (WIDE) {
      dot4Q8Wide(scales, quants, unit0, stride, units, x, xAt, lanes);
    } else {
      dot4Q8Narrow(scales, quants, unit0, stride, units, x, xAt, lanes);
    }
    out[o] = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6]))
        + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
    out[o + 1] = ((lanes[8] + lanes[12]) + (lanes[10] + lanes[14]))
        + ((lanes[9] + lanes[13]) + (lanes[11] + lanes[15]));
    out[o + 2] = ((lanes[16] + lanes[20]) + (lanes[18] + lanes[22]))
        + ((lanes[17] + lanes[21]) + (lanes[19] + lanes[23]));
    out[o + 3] = ((lanes[24] + lanes[28]) + (lanes[26] + lanes[30]))
        + ((lanes[25] + lanes[29]) + (lanes[27] + lanes[31]));
  }

  private static void dot4Q8Narrow(short[] scales, byte[] quants, int unit0, int stride,
      int units, float[] x, int xAt, float[] lanes) {
    for (int k = 0; k < 4; k++) {
      int c = unit0 + k * stride;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int u = 0; u < units; u++) {
        int xu = xAt + 32 * u;
        a0 = q8(scales, quants, c + u, 0).fma(FloatVector.fromArray(FLOATS, x, xu), a0);
        a1 = q8(scales, quants, c + u, 1).fma(FloatVector.fromArray(FLOATS, x, xu + 8), a1);
        a2 = q8(scales, quants, c + u, 2).fma(FloatVector.fromArray(FLOATS, x, xu + 16), a2);
        a3 = q8(scales, quants, c + u, 3).fma(FloatVector.fromArray(FLOATS, x, xu + 24), a3);
      }
      a0.add(a1).add(a2.add(a3)).intoArray(lanes, 8 * k);
    }
  }

  /**
   * As {@link #dot4Q8Narrow} with 512-bit vectors: a01 holds accumulators a0 and a1 (lanes 0-7,
   * 8-15), a23 a2 and a3; each lane takes the same fused multiply-adds as before.
   */
  private static void dot4Q8Wide(short[] scales, byte[] quants, int unit0, int stride,
      int units, float[] x, int xAt, float[] lanes) {
    for (int k = 0; k < 4; k++) {
      int c = unit0 + k * stride;
      FloatVector a01 = FloatVector.zero(WIDE_FLOATS);
      FloatVector a23 = a01;
      for (int u = 0; u < units; u++) {
        int xu = xAt + 32 * u;
        int b = 32 * (c + u);
        float s = Float.float16ToFloat(scales[c + u]);
        a01 = ((FloatVector) ByteVector.fromArray(WIDE_BYTES, quants, b)
            .convertShape(VectorOperators.B2F, WIDE_FLOATS, 0)).mul(s)
            .fma(FloatVector.fromArray(WIDE_FLOATS, x, xu), a01);
        a23 = ((FloatVector) ByteVector.fromArray(WIDE_BYTES, quants, b + 16)
            .convertShape(VectorOperators.B2F, WIDE_FLOATS, 0)).mul(s)
            .fma(FloatVector.fromArray(WIDE_FLOATS, x, xu + 16), a23);
      }
      a01.intoArray(lanes, 64);
      a23.intoArray(lanes, 80);
      FloatVector.fromArray(FLOATS, lanes, 64).add(FloatVector.fromArray(FLOATS, lanes, 72))
          .add(FloatVector.fromArray(FLOATS, lanes, 80).add(FloatVector.fromArray(FLOATS, lanes, 88)))
          .intoArray(lanes, 8 * k);
    }
  }

  private static void dot4Q4(short[] scales, int[] nibbles, int unit0, int stride, int units,
      float[] x, int xAt, float[] lanes, float[] out, int o) {
    if (WIDE) { // every row: 1.4x on long rows, 1.1-1.3x on short ones (Zen 5 VM)
      dot4Q4Wide(scales, nibbles, unit0, stride, units, x, xAt, lanes);
    } else {
      dot4Q4Narrow(scales, nibbles, unit0, stride, units, x, xAt, lanes);
    }
    out[o] = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6]))
        + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
    out[o + 1] = ((lanes[8] + lanes[12]) + (lanes[10] + lanes[14]))
        + ((lanes[9] + lanes[13]) + (lanes[11] + lanes[15]));
    out[o + 2] = ((lanes[16] + lanes[20]) + (lanes[18] + lanes[22]))
        + ((lanes[17] + lanes[21]) + (lanes[19] + lanes[23]));
    out[o + 3] = ((lanes[24] + lanes[28]) + (lanes[26] + lanes[30]))
        + ((lanes[25] + lanes[29]) + (lanes[27] + lanes[31]));
  }

  private static void dot4Q4Narrow(short[] scales, int[] nibbles, int unit0, int stride,
      int units, float[] x, int xAt, float[] lanes) {
    for (int k = 0; k < 4; k++) {
      int c = unit0 + k * stride;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int u = 0; u < units; u++) {
        int xu = xAt + 32 * u;
        a0 = q4(scales, nibbles, c + u, 0).fma(FloatVector.fromArray(FLOATS, x, xu), a0);
        a1 = q4(scales, nibbles, c + u, 1).fma(FloatVector.fromArray(FLOATS, x, xu + 8), a1);
        a2 = q4(scales, nibbles, c + u, 2).fma(FloatVector.fromArray(FLOATS, x, xu + 16), a2);
        a3 = q4(scales, nibbles, c + u, 3).fma(FloatVector.fromArray(FLOATS, x, xu + 24), a3);
      }
      a0.add(a1).add(a2.add(a3)).intoArray(lanes, 8 * k);
    }
  }

  /**
   * As {@link #dot4Q4Narrow} with 512-bit vectors: two chunks' ints broadcast into the two halves,
   * so a01 holds accumulators a0 and a1, a23 a2 and a3, each lane taking the same operations.
   */
  private static void dot4Q4Wide(short[] scales, int[] nibbles, int unit0, int stride,
      int units, float[] x, int xAt, float[] lanes) {
    for (int k = 0; k < 4; k++) {
      int c = unit0 + k * stride;
      FloatVector a01 = FloatVector.zero(WIDE_FLOATS);
      FloatVector a23 = a01;
      for (int u = 0; u < units; u++) {
        int xu = xAt + 32 * u;
        int n = 4 * (c + u);
        float s = Float.float16ToFloat(scales[c + u]);
        float bias = -8 * s;
        IntVector q01 = IntVector.broadcast(WIDE_INTS, nibbles[n]).blend(nibbles[n + 1], HIGH_HALF)
            .lanewise(VectorOperators.LSHR, WIDE_NIBBLE_SHIFTS).and(0x0f);
        IntVector q23 = IntVector.broadcast(WIDE_INTS, nibbles[n + 2]).blend(nibbles[n + 3], HIGH_HALF)
            .lanewise(VectorOperators.LSHR, WIDE_NIBBLE_SHIFTS).and(0x0f);
        a01 = ((FloatVector) q01.convert(VectorOperators.I2F, 0)).fma(s, bias)
            .fma(FloatVector.fromArray(WIDE_FLOATS, x, xu), a01);
        a23 = ((FloatVector) q23.convert(VectorOperators.I2F, 0)).fma(s, bias)
            .fma(FloatVector.fromArray(WIDE_FLOATS, x, xu + 16), a23);
      }
      a01.intoArray(lanes, 64);
      a23.intoArray(lanes, 80);
      FloatVector.fromArray(FLOATS, lanes, 64).add(FloatVector.fromArray(FLOATS, lanes, 72))
          .add(FloatVector.fromArray(FLOATS, lanes, 80).add(FloatVector.fromArray(FLOATS, lanes, 88)))
          .intoArray(lanes, 8 * k);
    }
  }

  private static void dot4Q4K(WeightTensor.Q4_K t, int unit0, int stride, int units,
      float[] x, int xAt, float[] lanes, float[] out, int o) {
    float[] d = t.d();
    float[] dmin = t.dmin();
    byte[] scalesAndMins = t.scalesAndMins();
    int[] nibbles = t.nibbles();
    for (int k = 0; k < 4; k++) {
      int c = unit0 + k * stride;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int u = 0; u < units; u++) {
        int xu = xAt + 32 * u;
        a0 = q4K(d, dmin, scalesAndMins, nibbles, c + u, 0).fma(FloatVector.fromArray(FLOATS, x, xu), a0);
        a1 = q4K(d, dmin, scalesAndMins, nibbles, c + u, 1).fma(FloatVector.fromArray(FLOATS, x, xu + 8), a1);
        a2 = q4K(d, dmin, scalesAndMins, nibbles, c + u, 2).fma(FloatVector.fromArray(FLOATS, x, xu + 16), a2);
        a3 = q4K(d, dmin, scalesAndMins, nibbles, c + u, 3).fma(FloatVector.fromArray(FLOATS, x, xu + 24), a3);
      }
      a0.add(a1).add(a2.add(a3)).intoArray(lanes, 8 * k);
    }
    out[o] = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6]))
        + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
    out[o + 1] = ((lanes[8] + lanes[12]) + (lanes[10] + lanes[14]))
        + ((lanes[9] + lanes[13]) + (lanes[11] + lanes[15]));
    out[o + 2] = ((lanes[16] + lanes[20]) + (lanes[18] + lanes[22]))
        + ((lanes[17] + lanes[21]) + (lanes[19] + lanes[23]));
    out[o + 3] = ((lanes[24] + lanes[28]) + (lanes[26] + lanes[30]))
        + ((lanes[25] + lanes[29]) + (lanes[27] + lanes[31]));
  }

  /** As the others for bfloat16: columns at i0, i0 + stride, ...; span whole chunks of 8. */
  private static void dot4Bfloat16(short[] bits, int i0, int stride, int span, float[] x,
      int xAt, float[] lanes, float[] out, int o) {
    for (int k = 0; k < 4; k++) {
      int c = i0 + k * stride;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      int r = 0;
      for (; r + 32 <= span; r += 32) {
        a0 = half(bits, c + r, true).fma(FloatVector.fromArray(FLOATS, x, xAt + r), a0);
        a1 = half(bits, c + r + 8, true).fma(FloatVector.fromArray(FLOATS, x, xAt + r + 8), a1);
        a2 = half(bits, c + r + 16, true).fma(FloatVector.fromArray(FLOATS, x, xAt + r + 16), a2);
        a3 = half(bits, c + r + 24, true).fma(FloatVector.fromArray(FLOATS, x, xAt + r + 24), a3);
      }
      if (r < span) {
        a0 = half(bits, c + r, true).fma(FloatVector.fromArray(FLOATS, x, xAt + r), a0);
      }
      if (r + 8 < span) {
        a1 = half(bits, c + r + 8, true).fma(FloatVector.fromArray(FLOATS, x, xAt + r + 8), a1);
      }
      if (r + 16 < span) {
        a2 = half(bits, c + r + 16, true).fma(FloatVector.fromArray(FLOATS, x, xAt + r + 16), a2);
      }
      a0.add(a1).add(a2.add(a3)).intoArray(lanes, 8 * k);
    }
    out[o] = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6]))
        + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
    out[o + 1] = ((lanes[8] + lanes[12]) + (lanes[10] + lanes[14]))
        + ((lanes[9] + lanes[13]) + (lanes[11] + lanes[15]));
    out[o + 2] = ((lanes[16] + lanes[20]) + (lanes[18] + lanes[22]))
        + ((lanes[17] + lanes[21]) + (lanes[19] + lanes[23]));
    out[o + 3] = ((lanes[24] + lanes[28]) + (lanes[26] + lanes[30]))
        + ((lanes[25] + lanes[29]) + (lanes[27] + lanes[31]));
  }

  // dot4Q6K and dot4Half: their dequantizing is too large for C2 to inline four times in one loop,
  // so they take one chunk per iteration and rotate the accumulators (the one for chunk k is always
  // a0); over whole units of 32 the rotation comes back to where it started.

  private static void dot4Q6K(WeightTensor.Q6_K t, int unit0, int stride, int units, float[] x,
      int xAt, float[] lanes, float[] out, int o) {
    float[] d = t.d();
    byte[] scales = t.scales();
    int[] nibbles = t.nibbles();
    short[] highBits = t.highBits();
    for (int k = 0; k < 4; k++) {
      int c = unit0 + k * stride;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int chunk = 0; chunk < 4 * units; chunk++) {
        FloatVector next = q6K(d, scales, nibbles, highBits, c + chunk / 4, chunk % 4)
            .fma(FloatVector.fromArray(FLOATS, x, xAt + 8 * chunk), a0);
        a0 = a1;
        a1 = a2;
        a2 = a3;
        a3 = next;
      }
      a0.add(a1).add(a2.add(a3)).intoArray(lanes, 8 * k);
    }
    out[o] = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6]))
        + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
    out[o + 1] = ((lanes[8] + lanes[12]) + (lanes[10] + lanes[14]))
        + ((lanes[9] + lanes[13]) + (lanes[11] + lanes[15]));
    out[o + 2] = ((lanes[16] + lanes[20]) + (lanes[18] + lanes[22]))
        + ((lanes[17] + lanes[21]) + (lanes[19] + lanes[23]));
    out[o + 3] = ((lanes[24] + lanes[28]) + (lanes[26] + lanes[30]))
        + ((lanes[25] + lanes[29]) + (lanes[27] + lanes[31]));
  }

  private static void dot4Half(short[] bits, int i0, int stride, int span, float[] x, int xAt,
      float[] lanes, float[] out, int o) {
    for (int k = 0; k < 4; k++) {
      int c = i0 + k * stride;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int r = 0; r < span; r += 8) {
        FloatVector next = half(bits, c + r, false).fma(FloatVector.fromArray(FLOATS, x, xAt + r), a0);
        a0 = a1;
        a1 = a2;
        a2 = a3;
        a3 = next;
      }
      a0.add(a1).add(a2.add(a3)).intoArray(lanes, 8 * k);
    }
    out[o] = ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6]))
        + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
    out[o + 1] = ((lanes[8] + lanes[12]) + (lanes[10] + lanes[14]))
        + ((lanes[9] + lanes[13]) + (lanes[11] + lanes[15]));
    out[o + 2] = ((lanes[16] + lanes[20]) + (lanes[18] + lanes[22]))
        + ((lanes[17] + lanes[21]) + (lanes[19] + lanes[23]));
    out[o + 3] = ((lanes[24] + lanes[28]) + (lanes[26] + lanes[30]))
        + ((lanes[25] + lanes[29]) + (lanes[27] + lanes[31]));
  }

  /** Q8_0: value = q * scale. */
  private static FloatVector q8(short[] scales, byte[] quants, int unit, int j) {
    return ((FloatVector) ByteVector.fromArray(BYTES, quants, 32 * unit + 8 * j)
        .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(Float.float16ToFloat(scales[unit]));
  }

  /** Q4_0: value = (q - 8) * scale, q a nibble. */
  private static FloatVector q4(short[] scales, int[] nibbles, int unit, int j) {
    float s = Float.float16ToFloat(scales[unit]);
    return dequantize(nibbles(nibbles, 4 * unit + j), s, -8 * s);
  }

  /** Q4_K: value = d * scale * q - dmin * min, q a nibble. */
  private static FloatVector q4K(float[] d, float[] dmin, byte[] scalesAndMins, int[] nibbles,
      int unit, int j) {
    float s = d[unit >>> 3] * scalesAndMins[2 * unit];
    float min = dmin[unit >>> 3] * scalesAndMins[2 * unit + 1];
    return dequantize(nibbles(nibbles, 4 * unit + j), s, -min);
  }

  /** Q6_K: value = d * scale * (q - 32), q = nibble | 2 high bits << 4; a scale per 16 values. */
  private static FloatVector q6K(float[] d, byte[] scales, int[] nibbles, short[] highBits,
      int unit, int j) {
    float s = d[unit >>> 3] * scales[2 * unit + (j >>> 1)];
    IntVector high = IntVector.broadcast(INTS, highBits[4 * unit + j])
        .lanewise(VectorOperators.LSHR, PAIR_SHIFTS).and(3).lanewise(VectorOperators.LSHL, 4);
    return dequantize(nibbles(nibbles, 4 * unit + j).or(high), s, -32 * s);
  }

  /** The 8 nibbles of int {@code chunk}, lane k from bits 4k to 4k + 3. */
  private static IntVector nibbles(int[] nibbles, int chunk) {
    return IntVector.broadcast(INTS, nibbles[chunk]).lanewise(VectorOperators.LSHR, NIBBLE_SHIFTS)
        .and(0x0f);
  }

  /** q * scale + bias, rounded once. */
  private static FloatVector dequantize(IntVector q, float scale, float bias) {
    return ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(scale, bias);
  }

  /**
   * Eight 16-bit floats to eight floats: bfloat16 by a shift, IEEE half by rebiasing the exponent.
   */
  private static FloatVector half(short[] bits, int at, boolean brain) {
    IntVector ints = (IntVector) ShortVector.fromArray(SHORTS, bits, at)
        .convertShape(VectorOperators.S2I, INTS, 0);
    if (brain) {
      return ints.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
    IntVector sign = ints.and(0x8000).lanewise(VectorOperators.LSHL, 16);
    IntVector magnitude = ints.and(0x7fff);
    // Exponent and mantissa moved into place and scaled by 2^112 rebias normals and subnormals.
    FloatVector value = magnitude.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats()
        .mul(0x1p112f);
    IntVector result = value.reinterpretAsInts();
    VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7c00);
    if (special.anyTrue()) { // infinities and NaN: all exponent bits set
      result = result.blend(magnitude.lanewise(VectorOperators.LSHL, 13).or(0x7f800000), special);
    }
    return result.or(sign).reinterpretAsFloats();
  }
}
