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
 * Each encoding's weights dequantized 8 at a time into a float vector, for {@link
 * VectorBlockKernel}: summed straight into four columns' accumulators for one activation row
 * ({@code row*}), or stored into a buffer that several rows then share ({@link #decode}). Both go
 * through the same unit methods, so a weight is the same float either way. A unit is 32 values (a
 * block or a K sub-block; 8 for 16-bit floats); x is loaded once per unit for four columns.
 *
 * <p>Quants become ints (sign-extending byte loads), nibbles are masked as ints (x86 has no byte
 * shifts), and ints become floats with the scale applied by one fused multiply-add: {@code q * s +
 * bias}, where bias folds Q4_0's 8 and Q6_K's 32 (exact, as {@code (q - 8) * s} is) or Q4_K's min.
 */
final class VectorBlocks {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_64;
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_128;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;

  private VectorBlocks() {
  }

  /** Values [at, at + span) of the tensor, dequantized into w[wAt, wAt + span). */
  static void decode(WeightTensor tensor, int at, int span, float[] w, int wAt) {
    switch (tensor) {
      case WeightTensor.Q8_0 q -> {
        for (int r = 0; r < span; r += 32) {
          unitQ8(q.scales(), q.quants(), at + r, w, wAt + r);
        }
      }
      case WeightTensor.Q4_0 q -> {
        for (int r = 0; r < span; r += 32) {
          unitQ4(q.scales(), q.nibbles(), (at + r) >>> 5, w, wAt + r);
        }
      }
      case WeightTensor.Q4_K q -> {
        for (int r = 0; r < span; r += 32) {
          unitQ4K(q, (at + r) >>> 5, w, wAt + r);
        }
      }
      case WeightTensor.Q6_K q -> {
        for (int r = 0; r < span; r += 32) {
          unitQ6K(q, (at + r) >>> 5, w, wAt + r);
        }
      }
      case WeightTensor.Halves h -> {
        for (int r = 0; r < span; r += 8) {
          half(h.bits(), at + r, h.brain()).intoArray(w, wAt + r);
        }
      }
      case WeightTensor.F32 f -> throw new IllegalArgumentException("F32 weights are multiplied as panels");
    }
  }

  static void rowQ8(WeightTensor.Q8_0 t, int in, int from, int span, int columnFrom, int columns,
      float[] x, int xAt, float[] out, int outAt) {
    float[] scales = t.scales();
    byte[] quants = t.quants();
    for (int k = 0; k < columns; k += 4) {
      int i0 = (columnFrom + k) * in + from;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int r = 0; r < span; r += 32) {
        FloatVector x0 = FloatVector.fromArray(FLOATS, x, xAt + r);
        FloatVector x1 = FloatVector.fromArray(FLOATS, x, xAt + r + 8);
        FloatVector x2 = FloatVector.fromArray(FLOATS, x, xAt + r + 16);
        FloatVector x3 = FloatVector.fromArray(FLOATS, x, xAt + r + 24);
        a0 = unitQ8(scales, quants, i0 + r, x0, x1, x2, x3, a0);
        a1 = unitQ8(scales, quants, i0 + in + r, x0, x1, x2, x3, a1);
        a2 = unitQ8(scales, quants, i0 + 2 * in + r, x0, x1, x2, x3, a2);
        a3 = unitQ8(scales, quants, i0 + 3 * in + r, x0, x1, x2, x3, a3);
      }
      store(a0, a1, a2, a3, out, outAt + k);
    }
  }

  static void rowQ4(WeightTensor.Q4_0 t, int in, int from, int span, int columnFrom, int columns,
      float[] x, int xAt, float[] out, int outAt) {
    float[] scales = t.scales();
    byte[] nibbles = t.nibbles();
    int units = in / 32;
    for (int k = 0; k < columns; k += 4) {
      int u0 = ((columnFrom + k) * in + from) / 32;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int r = 0; r < span; r += 32) {
        int u = u0 + r / 32;
        FloatVector x0 = FloatVector.fromArray(FLOATS, x, xAt + r);
        FloatVector x1 = FloatVector.fromArray(FLOATS, x, xAt + r + 8);
        FloatVector x2 = FloatVector.fromArray(FLOATS, x, xAt + r + 16);
        FloatVector x3 = FloatVector.fromArray(FLOATS, x, xAt + r + 24);
        a0 = unitQ4(scales, nibbles, u, x0, x1, x2, x3, a0);
        a1 = unitQ4(scales, nibbles, u + units, x0, x1, x2, x3, a1);
        a2 = unitQ4(scales, nibbles, u + 2 * units, x0, x1, x2, x3, a2);
        a3 = unitQ4(scales, nibbles, u + 3 * units, x0, x1, x2, x3, a3);
      }
      store(a0, a1, a2, a3, out, outAt + k);
    }
  }

  static void rowQ4K(WeightTensor.Q4_K t, int in, int from, int span, int columnFrom, int columns,
      float[] x, int xAt, float[] out, int outAt) {
    int units = in / 32;
    for (int k = 0; k < columns; k += 4) {
      int u0 = ((columnFrom + k) * in + from) / 32;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int r = 0; r < span; r += 32) {
        int u = u0 + r / 32;
        FloatVector x0 = FloatVector.fromArray(FLOATS, x, xAt + r);
        FloatVector x1 = FloatVector.fromArray(FLOATS, x, xAt + r + 8);
        FloatVector x2 = FloatVector.fromArray(FLOATS, x, xAt + r + 16);
        FloatVector x3 = FloatVector.fromArray(FLOATS, x, xAt + r + 24);
        a0 = unitQ4K(t, u, x0, x1, x2, x3, a0);
        a1 = unitQ4K(t, u + units, x0, x1, x2, x3, a1);
        a2 = unitQ4K(t, u + 2 * units, x0, x1, x2, x3, a2);
        a3 = unitQ4K(t, u + 3 * units, x0, x1, x2, x3, a3);
      }
      store(a0, a1, a2, a3, out, outAt + k);
    }
  }

  static void rowQ6K(WeightTensor.Q6_K t, int in, int from, int span, int columnFrom, int columns,
      float[] x, int xAt, float[] out, int outAt) {
    int units = in / 32;
    for (int k = 0; k < columns; k += 4) {
      int u0 = ((columnFrom + k) * in + from) / 32;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int r = 0; r < span; r += 32) {
        int u = u0 + r / 32;
        FloatVector x0 = FloatVector.fromArray(FLOATS, x, xAt + r);
        FloatVector x1 = FloatVector.fromArray(FLOATS, x, xAt + r + 8);
        FloatVector x2 = FloatVector.fromArray(FLOATS, x, xAt + r + 16);
        FloatVector x3 = FloatVector.fromArray(FLOATS, x, xAt + r + 24);
        a0 = unitQ6K(t, u, x0, x1, x2, x3, a0);
        a1 = unitQ6K(t, u + units, x0, x1, x2, x3, a1);
        a2 = unitQ6K(t, u + 2 * units, x0, x1, x2, x3, a2);
        a3 = unitQ6K(t, u + 3 * units, x0, x1, x2, x3, a3);
      }
      store(a0, a1, a2, a3, out, outAt + k);
    }
  }

  static void rowHalves(WeightTensor.Halves t, int in, int from, int span, int columnFrom,
      int columns, float[] x, int xAt, float[] out, int outAt) {
    short[] bits = t.bits();
    boolean brain = t.brain();
    for (int k = 0; k < columns; k += 4) {
      int i0 = (columnFrom + k) * in + from;
      FloatVector a0 = FloatVector.zero(FLOATS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int r = 0; r < span; r += 8) {
        FloatVector xv = FloatVector.fromArray(FLOATS, x, xAt + r);
        a0 = half(bits, i0 + r, brain).fma(xv, a0);
        a1 = half(bits, i0 + in + r, brain).fma(xv, a1);
        a2 = half(bits, i0 + 2 * in + r, brain).fma(xv, a2);
        a3 = half(bits, i0 + 3 * in + r, brain).fma(xv, a3);
      }
      store(a0, a1, a2, a3, out, outAt + k);
    }
  }

  private static void store(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3,
      float[] out, int o) {
    out[o] = VectorBlockKernel.sum(a0);
    out[o + 1] = VectorBlockKernel.sum(a1);
    out[o + 2] = VectorBlockKernel.sum(a2);
    out[o + 3] = VectorBlockKernel.sum(a3);
  }

  // Q8_0: value = q * scale.

  private static FloatVector unitQ8(float[] scales, byte[] quants, int i, FloatVector x0,
      FloatVector x1, FloatVector x2, FloatVector x3, FloatVector acc) {
    float s = scales[i >>> 5];
    acc = q8(quants, i, s).fma(x0, acc);
    acc = q8(quants, i + 8, s).fma(x1, acc);
    acc = q8(quants, i + 16, s).fma(x2, acc);
    return q8(quants, i + 24, s).fma(x3, acc);
  }

  private static void unitQ8(float[] scales, byte[] quants, int i, float[] w, int wAt) {
    float s = scales[i >>> 5];
    q8(quants, i, s).intoArray(w, wAt);
    q8(quants, i + 8, s).intoArray(w, wAt + 8);
    q8(quants, i + 16, s).intoArray(w, wAt + 16);
    q8(quants, i + 24, s).intoArray(w, wAt + 24);
  }

  private static FloatVector q8(byte[] quants, int i, float scale) {
    return ((FloatVector) ByteVector.fromArray(BYTES, quants, i)
        .convertShape(VectorOperators.B2F, FLOATS, 0)).mul(scale);
  }

  // Q4_0: value = (q - 8) * scale, q a nibble: value j low, j + 16 high.

  private static FloatVector unitQ4(float[] scales, byte[] nibbles, int unit, FloatVector x0,
      FloatVector x1, FloatVector x2, FloatVector x3, FloatVector acc) {
    float s = scales[unit];
    float bias = -8 * s;
    IntVector first = bytes(nibbles, 16 * unit);
    IntVector second = bytes(nibbles, 16 * unit + 8);
    acc = dequantize(low(first), s, bias).fma(x0, acc);
    acc = dequantize(low(second), s, bias).fma(x1, acc);
    acc = dequantize(high(first), s, bias).fma(x2, acc);
    return dequantize(high(second), s, bias).fma(x3, acc);
  }

  private static void unitQ4(float[] scales, byte[] nibbles, int unit, float[] w, int wAt) {
    float s = scales[unit];
    float bias = -8 * s;
    IntVector first = bytes(nibbles, 16 * unit);
    IntVector second = bytes(nibbles, 16 * unit + 8);
    dequantize(low(first), s, bias).intoArray(w, wAt);
    dequantize(low(second), s, bias).intoArray(w, wAt + 8);
    dequantize(high(first), s, bias).intoArray(w, wAt + 16);
    dequantize(high(second), s, bias).intoArray(w, wAt + 24);
  }

  // Q4_K: value = d * scale * q - dmin * min, q a nibble as in Q4_0.

  private static FloatVector unitQ4K(WeightTensor.Q4_K t, int unit, FloatVector x0,
      FloatVector x1, FloatVector x2, FloatVector x3, FloatVector acc) {
    byte[] nibbles = t.nibbles();
    float s = t.d()[unit >>> 3] * t.scalesAndMins()[2 * unit];
    float bias = -(t.dmin()[unit >>> 3] * t.scalesAndMins()[2 * unit + 1]);
    IntVector first = bytes(nibbles, 16 * unit);
    IntVector second = bytes(nibbles, 16 * unit + 8);
    acc = dequantize(low(first), s, bias).fma(x0, acc);
    acc = dequantize(low(second), s, bias).fma(x1, acc);
    acc = dequantize(high(first), s, bias).fma(x2, acc);
    return dequantize(high(second), s, bias).fma(x3, acc);
  }

  private static void unitQ4K(WeightTensor.Q4_K t, int unit, float[] w, int wAt) {
    byte[] nibbles = t.nibbles();
    float s = t.d()[unit >>> 3] * t.scalesAndMins()[2 * unit];
    float bias = -(t.dmin()[unit >>> 3] * t.scalesAndMins()[2 * unit + 1]);
    IntVector first = bytes(nibbles, 16 * unit);
    IntVector second = bytes(nibbles, 16 * unit + 8);
    dequantize(low(first), s, bias).intoArray(w, wAt);
    dequantize(low(second), s, bias).intoArray(w, wAt + 8);
    dequantize(high(first), s, bias).intoArray(w, wAt + 16);
    dequantize(high(second), s, bias).intoArray(w, wAt + 24);
  }

  // Q6_K: value = d * scale * (q - 32), q = nibble | 2 high bits << 4; one scale per 16 values.

  private static FloatVector unitQ6K(WeightTensor.Q6_K t, int unit, FloatVector x0,
      FloatVector x1, FloatVector x2, FloatVector x3, FloatVector acc) {
    byte[] nibbles = t.nibbles();
    float d = t.d()[unit >>> 3];
    float s0 = d * t.scales()[2 * unit];
    float s1 = d * t.scales()[2 * unit + 1];
    IntVector first = bytes(nibbles, 16 * unit);
    IntVector second = bytes(nibbles, 16 * unit + 8);
    IntVector high = bytes(t.highBits(), 8 * unit);
    acc = dequantize(q6(low(first), high, 0), s0, -32 * s0).fma(x0, acc);
    acc = dequantize(q6(low(second), high, 1), s0, -32 * s0).fma(x1, acc);
    acc = dequantize(q6(high(first), high, 2), s1, -32 * s1).fma(x2, acc);
    return dequantize(q6(high(second), high, 3), s1, -32 * s1).fma(x3, acc);
  }

  private static void unitQ6K(WeightTensor.Q6_K t, int unit, float[] w, int wAt) {
    byte[] nibbles = t.nibbles();
    float d = t.d()[unit >>> 3];
    float s0 = d * t.scales()[2 * unit];
    float s1 = d * t.scales()[2 * unit + 1];
    IntVector first = bytes(nibbles, 16 * unit);
    IntVector second = bytes(nibbles, 16 * unit + 8);
    IntVector high = bytes(t.highBits(), 8 * unit);
    dequantize(q6(low(first), high, 0), s0, -32 * s0).intoArray(w, wAt);
    dequantize(q6(low(second), high, 1), s0, -32 * s0).intoArray(w, wAt + 8);
    dequantize(q6(high(first), high, 2), s1, -32 * s1).intoArray(w, wAt + 16);
    dequantize(q6(high(second), high, 3), s1, -32 * s1).intoArray(w, wAt + 24);
  }

  /** The 6-bit q of a nibble and bits 2j, 2j + 1 of the high-bit bytes, moved to bits 4, 5. */
  private static IntVector q6(IntVector nibble, IntVector high, int j) {
    IntVector top = switch (j) {
      case 0 -> high.lanewise(VectorOperators.LSHL, 4);
      case 1 -> high.lanewise(VectorOperators.LSHL, 2);
      case 2 -> high;
      default -> high.lanewise(VectorOperators.LSHR, 2);
    };
    return nibble.or(top.and(0x30));
  }

  // Shared steps.

  /** Eight bytes, sign-extended to ints. */
  private static IntVector bytes(byte[] array, int at) {
    return (IntVector) ByteVector.fromArray(BYTES, array, at)
        .convertShape(VectorOperators.B2I, INTS, 0);
  }

  private static IntVector low(IntVector bytes) {
    return bytes.and(0x0f);
  }

  private static IntVector high(IntVector bytes) {
    return bytes.lanewise(VectorOperators.LSHR, 4).and(0x0f);
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
