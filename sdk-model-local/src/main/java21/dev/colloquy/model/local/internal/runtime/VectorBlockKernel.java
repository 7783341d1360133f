package dev.colloquy.model.local.internal.runtime;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link BlockKernel} (Java 21+, module {@code jdk.incubator.vector}, 256-bit
 * vectors): quants and 16-bit floats are widened to 8-float lanes in registers, multiplied with x
 * by fused multiply-adds into one accumulator per block, and each block's sum is scaled into a
 * running vector that is reduced once per row. Lane order and reduction are fixed, so a row's
 * result depends only on its inputs.
 */
final class VectorBlockKernel implements BlockKernel {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final VectorSpecies<Byte> BYTES_64 = ByteVector.SPECIES_64;
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_128;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public float dotQ8(float[] scales, byte[] quants, int block, int blocks, float[] x, int xAt) {
    FloatVector total = FloatVector.zero(FLOATS);
    for (int b = 0; b < blocks; b++) {
      int q = (block + b) * 32;
      int xo = xAt + b * 32;
      FloatVector sum = widen(ByteVector.fromArray(BYTES_64, quants, q)).mul(FloatVector.fromArray(FLOATS, x, xo));
      sum = widen(ByteVector.fromArray(BYTES_64, quants, q + 8)).fma(FloatVector.fromArray(FLOATS, x, xo + 8), sum);
      sum = widen(ByteVector.fromArray(BYTES_64, quants, q + 16)).fma(FloatVector.fromArray(FLOATS, x, xo + 16), sum);
      sum = widen(ByteVector.fromArray(BYTES_64, quants, q + 24)).fma(FloatVector.fromArray(FLOATS, x, xo + 24), sum);
      total = sum.fma(FloatVector.broadcast(FLOATS, scales[block + b]), total);
    }
    return total.reduceLanes(VectorOperators.ADD);
  }

  @Override
  public float dotQ4(float[] scales, byte[] nibbles, int block, int blocks, float[] x, int xAt) {
    FloatVector total = FloatVector.zero(FLOATS);
    for (int b = 0; b < blocks; b++) {
      int n = (block + b) * 16;
      int xo = xAt + b * 32;
      // Two 8-byte halves, each widened from its first (only) part: cheaper than part 1 of 16.
      ByteVector first = ByteVector.fromArray(BYTES_64, nibbles, n);
      ByteVector second = ByteVector.fromArray(BYTES_64, nibbles, n + 8);
      FloatVector sum = widen(low(first)).mul(FloatVector.fromArray(FLOATS, x, xo));
      sum = widen(low(second)).fma(FloatVector.fromArray(FLOATS, x, xo + 8), sum);
      sum = widen(high(first)).fma(FloatVector.fromArray(FLOATS, x, xo + 16), sum);
      sum = widen(high(second)).fma(FloatVector.fromArray(FLOATS, x, xo + 24), sum);
      total = sum.fma(FloatVector.broadcast(FLOATS, scales[block + b]), total);
    }
    return total.reduceLanes(VectorOperators.ADD);
  }

  @Override
  public float dotHalves(short[] w, int wAt, boolean brain, float[] x, int xAt, int n) {
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = a0;
    int i = 0;
    for (; i + 16 <= n; i += 16) {
      a0 = widen(ShortVector.fromArray(SHORTS, w, wAt + i), brain).fma(FloatVector.fromArray(FLOATS, x, xAt + i), a0);
      a1 = widen(ShortVector.fromArray(SHORTS, w, wAt + i + 8), brain).fma(FloatVector.fromArray(FLOATS, x, xAt + i + 8), a1);
    }
    float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float value = brain
          ? Float.intBitsToFloat(w[wAt + i] << 16)
          : dev.colloquy.model.local.internal.decoder.WeightTensor.halfToFloat(w[wAt + i]);
      sum += value * x[xAt + i];
    }
    return sum;
  }

  /** Eight signed bytes to eight floats. */
  private static FloatVector widen(ByteVector bytes) {
    return (FloatVector) bytes.convertShape(VectorOperators.B2F, FLOATS, 0);
  }

  /** The low nibbles of packed Q4_0 bytes, minus 8. */
  private static ByteVector low(ByteVector packed) {
    return packed.and((byte) 0x0f).sub((byte) 8);
  }

  /** The high nibbles of packed Q4_0 bytes, minus 8. */
  private static ByteVector high(ByteVector packed) {
    return packed.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
  }

  /** Eight 16-bit floats to eight floats: bfloat16 by a shift, IEEE half by rebiasing the exponent. */
  private static FloatVector widen(ShortVector halves, boolean brain) {
    IntVector bits = (IntVector) halves.convertShape(VectorOperators.S2I, INTS, 0);
    if (brain) {
      return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
    IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
    IntVector magnitude = bits.and(0x7fff);
    // Exponent and mantissa moved into place and scaled by 2^112 rebias normals and subnormals.
    FloatVector value = magnitude.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
    IntVector result = value.reinterpretAsInts();
    VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7c00);
    if (special.anyTrue()) { // infinities and NaN: all exponent bits set
      result = result.blend(magnitude.lanewise(VectorOperators.LSHL, 13).or(0x7f800000), special);
    }
    return result.or(sign).reinterpretAsFloats();
  }
}
