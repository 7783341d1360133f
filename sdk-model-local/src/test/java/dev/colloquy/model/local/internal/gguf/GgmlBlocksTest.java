package dev.colloquy.model.local.internal.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Each block type dequantized from bytes written by hand, against values computed by hand from
 * ggml's definitions. Half-precision constants: 0x3800 = 0.5, 0x3400 = 0.25, 0x3c00 = 1.
 */
class GgmlBlocksTest {

  private static ByteBuffer block(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static float[] dequantize(GgmlType type, ByteBuffer bytes) {
    float[] values = new float[type.blockSize()];
    type.dequantizeBlock(bytes, 0, values, 0);
    return values;
  }

  @Test
  void dequantizesPlainFloatTypes() {
    ByteBuffer f32 = block(4).putFloat(0, -3.25f);
    assertThat(dequantize(GgmlType.F32, f32)).containsExactly(-3.25f);
    // F16: sign 1, exponent 16 (bias 15), mantissa 0 -> -2; 0x0001 is the smallest subnormal 2^-24.
    assertThat(dequantize(GgmlType.F16, block(2).putShort(0, (short) 0xc000))).containsExactly(-2f);
    assertThat(dequantize(GgmlType.F16, block(2).putShort(0, (short) 0x0001)))
        .containsExactly(0x1p-24f);
    assertThat(dequantize(GgmlType.F16, block(2).putShort(0, (short) 0x7c00)))
        .containsExactly(Float.POSITIVE_INFINITY);
    // BF16 is the top half of an F32: 0xc0a0 -> 0xc0a00000 = -5.
    assertThat(dequantize(GgmlType.BF16, block(2).putShort(0, (short) 0xc0a0)))
        .containsExactly(-5f);
  }

  @Test
  void dequantizesAQ8_0Block() {
    ByteBuffer bytes = block(34).putShort(0, (short) 0x3800); // d = 0.5
    byte[] quants = {0, 1, -1, 127, -128, 6};
    for (int i = 0; i < quants.length; i++) {
      bytes.put(2 + i, quants[i]);
    }
    float[] expected = new float[32];
    // value = q * d
    expected[1] = 0.5f;
    expected[2] = -0.5f;
    expected[3] = 63.5f;
    expected[4] = -64f;
    expected[5] = 3f;
    assertThat(dequantize(GgmlType.Q8_0, bytes)).containsExactly(expected, within(0f));
  }

  @Test
  void dequantizesAQ4_0BlockWithLowNibblesFirst() {
    ByteBuffer bytes = block(18).putShort(0, (short) 0x3400); // d = 0.25
    for (int j = 0; j < 16; j++) {
      bytes.put(2 + j, (byte) 0x88); // q = 8 in both nibbles -> (8 - 8) * d = 0
    }
    bytes.put(2, (byte) 0x9f); // value 0: low nibble 15 -> 7 * 0.25; value 16: high 9 -> 1 * 0.25
    bytes.put(3, (byte) 0x08); // value 1: low nibble 8 -> 0; value 17: high 0 -> -8 * 0.25
    float[] expected = new float[32];
    expected[0] = 1.75f;
    expected[16] = 0.25f;
    expected[17] = -2f;
    assertThat(dequantize(GgmlType.Q4_0, bytes)).containsExactly(expected, within(0f));
  }

  @Test
  void dequantizesAQ4_1BlockAsScaleTimesQPlusMinimum() {
    ByteBuffer bytes = block(20).putShort(0, (short) 0x3800); // d = 0.5
    bytes.putShort(2, (short) 0xc000); // m = -2
    bytes.put(4, (byte) 0x9f); // value 0: low nibble 15; value 16: high nibble 9
    bytes.put(5, (byte) 0x08); // value 1: low nibble 8; value 17: high nibble 0
    float[] expected = new float[32];
    Arrays.fill(expected, 0 * 0.5f - 2); // value = q * d + m; q = 0 -> -2
    expected[0] = 15 * 0.5f - 2; // 5.5
    expected[16] = 9 * 0.5f - 2; // 2.5
    expected[1] = 8 * 0.5f - 2; // 2
    assertThat(expected[0]).isEqualTo(5.5f);
    assertThat(dequantize(GgmlType.Q4_1, bytes)).containsExactly(expected, within(0f));
  }

  @Test
  void dequantizesAQ5_0BlockWithFifthBitsInALittleEndianWord() {
    ByteBuffer bytes = block(22).putShort(0, (short) 0x3400); // d = 0.25
    // qh, bytes 2-5, is a little-endian word: bit i is the fifth bit of value i.
    bytes.put(2, (byte) 0x01); // bit 0: value 0
    bytes.put(4, (byte) 0x02); // bit 17: value 17
    bytes.put(5, (byte) 0x80); // bit 31: value 31
    bytes.put(6, (byte) 0x3f); // value 0: low 15 | 16 = 31; value 16: high 3, no fifth bit
    bytes.put(7, (byte) 0x00); // value 1: 0; value 17: 0 | 16 = 16
    bytes.put(6 + 15, (byte) 0xf0); // value 15: 0; value 31: 15 | 16 = 31
    float[] expected = new float[32];
    Arrays.fill(expected, (0 - 16) * 0.25f); // value = (q - 16) * d; q = 0 -> -4
    expected[0] = (31 - 16) * 0.25f; // 3.75
    expected[16] = (3 - 16) * 0.25f; // -3.25
    expected[17] = (16 - 16) * 0.25f; // 0
    expected[31] = (31 - 16) * 0.25f; // 3.75
    assertThat(expected[16]).isEqualTo(-3.25f);
    assertThat(dequantize(GgmlType.Q5_0, bytes)).containsExactly(expected, within(0f));
  }

  @Test
  void dequantizesAQ5_1BlockWithFifthBitsAndMinimum() {
    ByteBuffer bytes = block(24).putShort(0, (short) 0x3800); // d = 0.5
    bytes.putShort(2, (short) 0x3c00); // m = 1
    bytes.put(4, (byte) 0x02); // qh bit 1: value 1
    bytes.put(7, (byte) 0x01); // qh bit 24: value 24
    bytes.put(8 + 1, (byte) 0x5a); // value 1: low 10 | 16 = 26; value 17: high 5
    bytes.put(8 + 8, (byte) 0x70); // value 8: low 0; value 24: high 7 | 16 = 23
    float[] expected = new float[32];
    Arrays.fill(expected, 0 * 0.5f + 1); // value = q * d + m; q = 0 -> 1
    expected[1] = 26 * 0.5f + 1; // 14
    expected[17] = 5 * 0.5f + 1; // 3.5
    expected[24] = 23 * 0.5f + 1; // 12.5
    assertThat(expected[24]).isEqualTo(12.5f);
    assertThat(dequantize(GgmlType.Q5_1, bytes)).containsExactly(expected, within(0f));
  }

  @Test
  void dequantizesBlocksAtAnOffsetIntoLargerBuffers() {
    ByteBuffer bytes = block(5 + 2 * 18);
    bytes.putShort(5 + 18, (short) 0x3c00); // second block: d = 1, all nibbles 0 -> -8
    float[] values = new float[3 + 64];
    GgmlType.Q4_0.dequantize(bytes, 5, values, 3, 2);
    assertThat(Arrays.copyOfRange(values, 3, 35)).containsOnly(-0f); // d = 0: (0 - 8) * 0
    assertThat(Arrays.copyOfRange(values, 35, 67)).containsOnly(-8f);
  }

  @Test
  void quantizesQ8_0AsGgmlRoundsHalfAwayFromZero() {
    float[] values = new float[32];
    values[0] = 127f; // d = max |x| / 127 = 1
    values[1] = -63.5f; // -> -64, away from zero
    values[2] = 0.5f; // -> 1
    values[3] = -0.5f; // -> -1
    values[4] = 1.49f; // -> 1
    ByteBuffer bytes = block(34);
    GgmlBlocks.quantizeQ8_0(values, 0, bytes, 0);
    assertThat(bytes.getShort(0)).isEqualTo((short) 0x3c00);
    assertThat(new byte[] {bytes.get(2), bytes.get(3), bytes.get(4), bytes.get(5), bytes.get(6)})
        .containsExactly(127, -64, 1, -1, 1);
  }

  @Test
  void quantizesQ4_0WithTheSignedExtremeAsMinusEight() {
    float[] values = new float[32];
    values[0] = -8f; // the largest magnitude, negative: d = -8 / -8 = 1, q = trunc(x + 8.5)
    values[1] = 7f; // -> 15
    values[2] = 0.5f; // -> trunc(9.0) = 9: ggml rounds halves up here
    values[3] = -0.5f; // -> 8
    values[16] = 1f; // -> 9, in the high nibble of byte 0
    ByteBuffer bytes = block(18);
    GgmlBlocks.quantizeQ4_0(values, 0, bytes, 0);
    assertThat(bytes.getShort(0)).isEqualTo((short) 0x3c00);
    assertThat(bytes.get(2) & 0xff).isEqualTo(0x90); // low 0 (value 0), high 9 (value 16)
    assertThat(bytes.get(3) & 0xff).isEqualTo(0x8f); // low 15 (value 1), high 8 (value 17)
    assertThat(bytes.get(4) & 0x0f).isEqualTo(9);
    assertThat(bytes.get(5) & 0x0f).isEqualTo(8);
    float[] back = dequantize(GgmlType.Q4_0, bytes);
    assertThat(back[0]).isEqualTo(-8f);
    assertThat(back[1]).isEqualTo(7f);
    // The positive extreme +8 would be clamped to q = 15: d flips sign to keep -8 usable.
    float[] positive = new float[32];
    positive[0] = 8f;
    GgmlBlocks.quantizeQ4_0(positive, 0, bytes, 0);
    assertThat(dequantize(GgmlType.Q4_0, bytes)[0]).isEqualTo(8f);
  }

  @Test
  void quantizesQ4_1FromTheMinimumInFifteenSteps() {
    float[] values = new float[32];
    values[0] = -1f; // the minimum: m = -1
    values[1] = 14f; // the maximum: d = (14 - -1) / 15 = 1; q = trunc(x + 1 + 0.5)
    values[2] = 0.5f; // -> trunc(2.0) = 2: halves round up
    values[3] = 0.49f; // -> trunc(1.99) = 1
    values[16] = 14f; // -> 15, in the high nibble of byte 0; zeros -> trunc(1.5) = 1
    ByteBuffer bytes = block(20);
    GgmlBlocks.quantizeQ4_1(values, 0, bytes, 0);
    assertThat(bytes.getShort(0)).isEqualTo((short) 0x3c00); // d = 1
    assertThat(bytes.getShort(2)).isEqualTo((short) 0xbc00); // m = -1
    assertThat(bytes.get(4) & 0xff).isEqualTo(0xf0); // low 0 (value 0), high 15 (value 16)
    assertThat(bytes.get(5) & 0xff).isEqualTo(0x1f); // low 15 (value 1), high 1 (value 17)
    assertThat(bytes.get(6) & 0xff).isEqualTo(0x12); // low 2, high 1
    assertThat(bytes.get(7) & 0xff).isEqualTo(0x11); // low 1, high 1
    float[] back = dequantize(GgmlType.Q4_1, bytes);
    assertThat(back[0]).isEqualTo(-1f);
    assertThat(back[1]).isEqualTo(14f);
    assertThat(back[2]).isEqualTo(1f); // 2 * 1 - 1
  }

  @Test
  void quantizesQ5_0WithTheSignedExtremeAsMinusSixteen() {
    float[] values = new float[32];
    values[0] = -16f; // the extreme, negative: d = -16 / -16 = 1, q = trunc(x + 16.5)
    values[1] = 15f; // -> 31
    values[2] = 0.5f; // -> 17
    values[3] = -0.5f; // -> 16
    values[17] = 1f; // -> 17; zeros -> 16
    ByteBuffer bytes = block(22);
    GgmlBlocks.quantizeQ5_0(values, 0, bytes, 0);
    assertThat(bytes.getShort(0)).isEqualTo((short) 0x3c00);
    // Fifth bits: every q is >= 16 except value 0's q = 0.
    assertThat(bytes.getInt(2)).isEqualTo(0xfffffffe);
    assertThat(bytes.get(6) & 0xff).isEqualTo(0x00); // value 0: 0; value 16: 16 & 15 = 0
    assertThat(bytes.get(7) & 0xff).isEqualTo(0x1f); // value 1: 31 & 15; value 17: 17 & 15
    assertThat(bytes.get(8) & 0xff).isEqualTo(0x01); // value 2: 17 & 15; value 18: 0
    assertThat(bytes.get(9) & 0xff).isEqualTo(0x00); // value 3: 16 & 15
    float[] back = dequantize(GgmlType.Q5_0, bytes);
    assertThat(back[0]).isEqualTo(-16f);
    assertThat(back[1]).isEqualTo(15f);
    assertThat(back[2]).isEqualTo(1f);
    // A positive extreme flips d's sign, so that +16 is q = 0 rather than a clamped 32.
    float[] positive = new float[32];
    positive[0] = 16f;
    GgmlBlocks.quantizeQ5_0(positive, 0, bytes, 0);
    assertThat(dequantize(GgmlType.Q5_0, bytes)[0]).isEqualTo(16f);
  }

  @Test
  void quantizesQ5_1FromTheMinimumInThirtyOneSteps() {
    float[] values = new float[32];
    values[0] = -1f; // m = -1
    values[1] = 30f; // d = (30 - -1) / 31 = 1; q = trunc(x + 1 + 0.5) -> 31
    values[2] = 0.5f; // -> 2; zeros -> 1
    values[16] = 14f; // -> 15: no fifth bit
    values[17] = 15f; // -> 16: fifth bit 17, nibble 0
    ByteBuffer bytes = block(24);
    GgmlBlocks.quantizeQ5_1(values, 0, bytes, 0);
    assertThat(bytes.getShort(0)).isEqualTo((short) 0x3c00);
    assertThat(bytes.getShort(2)).isEqualTo((short) 0xbc00);
    assertThat(bytes.getInt(4)).isEqualTo((1 << 1) | (1 << 17));
    assertThat(bytes.get(8) & 0xff).isEqualTo(0xf0); // value 0: 0; value 16: 15
    assertThat(bytes.get(9) & 0xff).isEqualTo(0x0f); // value 1: 31 & 15; value 17: 16 & 15
    assertThat(bytes.get(10) & 0xff).isEqualTo(0x12); // value 2: 2; value 18: 1
    float[] back = dequantize(GgmlType.Q5_1, bytes);
    assertThat(back[0]).isEqualTo(-1f);
    assertThat(back[1]).isEqualTo(30f);
    assertThat(back[17]).isEqualTo(15f);
  }

  @Test
  void narrowsToHalfPrecisionRoundingTiesToEven() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float value = HalfFloats.toFloat((short) bits);
      if (!Float.isNaN(value)) {
        assertThat(HalfFloats.fromFloat(value) & 0xffff).as("0x%04x", bits).isEqualTo(bits);
      }
    }
    assertThat(HalfFloats.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00); // tie -> even
    assertThat(HalfFloats.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02); // tie -> even
    assertThat(HalfFloats.fromFloat(0x1p-25f)).isEqualTo((short) 0); // subnormal tie -> 0
    assertThat(HalfFloats.fromFloat(3 * 0x1p-25f)).isEqualTo((short) 2);
    assertThat(HalfFloats.fromFloat(65520f)).isEqualTo((short) 0x7c00); // rounds past 65504
    assertThat(HalfFloats.fromFloat(-1e9f)).isEqualTo((short) 0xfc00);
    assertThat(Float.isNaN(HalfFloats.toFloat(HalfFloats.fromFloat(Float.NaN)))).isTrue();
    assertThat(Halves.floatToBfloat16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80); // tie -> even
    assertThat(Halves.floatToBfloat16(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3f82);
  }
}
