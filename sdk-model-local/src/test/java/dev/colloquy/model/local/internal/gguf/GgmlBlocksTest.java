package dev.colloquy.model.local.internal.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
  void dequantizesAQ4_KBlockWithItsPackedSixBitScalesAndMins() {
    ByteBuffer bytes = block(144);
    bytes.putShort(0, (short) 0x3800); // d = 0.5
    bytes.putShort(2, (short) 0x3400); // dmin = 0.25
    // Sub-blocks 0-3: scale = s[j] & 63, min = s[j + 4] & 63. Sub-blocks 4-7: scale = low nibble
    // of s[j + 4] | (s[j - 4] >> 6) << 4, min = high nibble of s[j + 4] | (s[j] >> 6) << 4.
    bytes.put(4, (byte) 0x81); // s[0]: sub 0 scale 1; top bits 0b10 -> sub 4 scale bits 5-4
    bytes.put(5, (byte) 0x03); // s[1]: sub 1 scale 3
    bytes.put(7, (byte) 0xc0); // s[3]: sub 3 scale 0; top bits 0b11 -> sub 7 scale bits 5-4
    bytes.put(8, (byte) 0x42); // s[4]: sub 0 min 2; top bits 0b01 -> sub 4 min bits 5-4
    bytes.put(11, (byte) 0xc0); // s[7]: sub 3 min 0; top bits 0b11 -> sub 7 min bits 5-4
    bytes.put(12, (byte) 0x35); // s[8]: sub 4 scale low 5 -> 0b10_0101 = 37; min low 3 -> 19
    bytes.put(15, (byte) 0xff); // s[11]: sub 7 scale 0b11_1111 = 63, min 63
    // Quants: bytes 32g..32g+31 hold sub-block 2g (low nibbles) and 2g + 1 (high nibbles).
    bytes.put(16, (byte) 0x3a); // value 0: q 10 of sub 0; value 32: q 3 of sub 1
    bytes.put(16 + 64, (byte) 0x0f); // value 128: q 15 of sub 4
    bytes.put(16 + 127, (byte) 0xf0); // value 255: q 15 of sub 7 (value 223 of sub 6: q 0)

    float[] expected = new float[256];
    // value = d * scale * q - dmin * min
    Arrays.fill(expected, 0, 32, 0.5f * 1 * 0 - 0.25f * 2); // -0.5
    expected[0] = 0.5f * 1 * 10 - 0.25f * 2; // 4.5
    Arrays.fill(expected, 32, 64, 0f); // sub 1: scale 3, min 0
    expected[32] = 0.5f * 3 * 3; // 4.5
    Arrays.fill(expected, 128, 160, 0.5f * 37 * 0 - 0.25f * 19); // -4.75
    expected[128] = 0.5f * 37 * 15 - 0.25f * 19; // 272.75
    Arrays.fill(expected, 224, 256, -0.25f * 63); // -15.75
    expected[255] = 0.5f * 63 * 15 - 0.25f * 63; // 456.75
    assertThat(expected[128]).isEqualTo(272.75f);
    assertThat(expected[255]).isEqualTo(456.75f);
    assertThat(dequantize(GgmlType.Q4_K, bytes)).containsExactly(expected, within(0f));
  }

  @Test
  void dequantizesAQ6_KBlockFromItsLowNibblesHighBitsAndSignedScales() {
    ByteBuffer bytes = block(210);
    int ql = 0;
    int qh = 128;
    int scales = 192;
    bytes.putShort(208, (short) 0x3800); // d = 0.5, stored last
    bytes.put(scales, (byte) 1); // values 0-15
    bytes.put(scales + 2, (byte) 2); // values 32-47
    bytes.put(scales + 4, (byte) -3); // values 64-79: scales are signed
    bytes.put(scales + 6, (byte) 4); // values 96-111
    bytes.put(scales + 15, (byte) -1); // values 240-255
    // Value l < 32 of the first half: q1 = ql[l] low | qh[l] bits 0-1, q2 = ql[l + 32] low | bits
    // 2-3 (value l + 32), q3 = ql[l] high | bits 4-5 (value l + 64), q4 = ql[l + 32] high | bits
    // 6-7
    // (value l + 96); value = d * scale * (q - 32).
    bytes.put(ql, (byte) 0x21);
    bytes.put(ql + 32, (byte) 0xf5);
    bytes.put(qh, (byte) 0b11_10_01_00);
    // Second half: ql from 64, qh from 32, scales from 8; value 255 is its q4 of l = 31.
    bytes.put(ql + 64 + 32 + 31, (byte) 0xf0);
    bytes.put(qh + 32 + 31, (byte) 0b11_00_00_00);

    float[] expected = new float[256];
    Arrays.fill(expected, 0, 16, 0.5f * 1 * -32); // q = 0 -> -32
    Arrays.fill(expected, 32, 48, 0.5f * 2 * -32);
    Arrays.fill(expected, 64, 80, 0.5f * -3 * -32);
    Arrays.fill(expected, 96, 112, 0.5f * 4 * -32);
    Arrays.fill(expected, 240, 256, 0.5f * -1 * -32);
    expected[0] = 0.5f * 1 * (1 - 32); // q1 = 1 | 0 << 4 -> -15.5
    expected[32] = 0.5f * 2 * (5 + 16 - 32); // q2 = 5 | 1 << 4 -> -11
    expected[64] = 0.5f * -3 * (2 + 32 - 32); // q3 = 2 | 2 << 4 -> -3
    expected[96] = 0.5f * 4 * (15 + 48 - 32); // q4 = 15 | 3 << 4 -> 62
    expected[255] = 0.5f * -1 * (15 + 48 - 32); // -15.5
    assertThat(expected[96]).isEqualTo(62f);
    assertThat(dequantize(GgmlType.Q6_K, bytes)).containsExactly(expected, within(0f));
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
  void narrowsToHalfPrecisionRoundingTiesToEven() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float value = Halves.halfToFloat((short) bits);
      if (!Float.isNaN(value)) {
        assertThat(Halves.floatToHalf(value) & 0xffff).as("0x%04x", bits).isEqualTo(bits);
      }
    }
    assertThat(Halves.floatToHalf(1f + 0x1p-11f)).isEqualTo((short) 0x3c00); // tie -> even
    assertThat(Halves.floatToHalf(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02); // tie -> even
    assertThat(Halves.floatToHalf(0x1p-25f)).isEqualTo((short) 0); // subnormal tie -> 0
    assertThat(Halves.floatToHalf(3 * 0x1p-25f)).isEqualTo((short) 2);
    assertThat(Halves.floatToHalf(65520f)).isEqualTo((short) 0x7c00); // rounds past 65504
    assertThat(Halves.floatToHalf(-1e9f)).isEqualTo((short) 0xfc00);
    assertThat(Float.isNaN(Halves.halfToFloat(Halves.floatToHalf(Float.NaN)))).isTrue();
    assertThat(Halves.floatToBfloat16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80); // tie -> even
    assertThat(Halves.floatToBfloat16(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3f82);
  }
}
