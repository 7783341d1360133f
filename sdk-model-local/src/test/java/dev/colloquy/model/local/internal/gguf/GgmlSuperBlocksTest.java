package dev.colloquy.model.local.internal.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Each K super-block type dequantized from bytes written by hand, against values computed by hand
 * from ggml's definitions. Half-precision constants: 0x3800 = 0.5, 0x3400 = 0.25.
 */
class GgmlSuperBlocksTest {

  private static ByteBuffer block(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static float[] dequantize(GgmlType type, ByteBuffer bytes) {
    float[] values = new float[type.blockSize()];
    type.dequantizeBlock(bytes, 0, values, 0);
    return values;
  }

  @Test
  void dequantizesAQ2_KBlockWithNibbleScalesAndMins() {
    ByteBuffer bytes = block(84);
    int quants = 16;
    bytes.putShort(80, (short) 0x3800); // d = 0.5, after the scales and quants
    bytes.putShort(82, (short) 0x3400); // dmin = 0.25
    // Scale byte j: low nibble scale, high nibble min of sub-block j (values 16j..16j+15).
    bytes.put(0, (byte) 0x12); // sub 0: scale 2, min 1
    bytes.put(3, (byte) 0x05); // sub 3: scale 5, min 0
    bytes.put(15, (byte) 0xf3); // sub 15: scale 3, min 15
    // Value l (< 32) of quarter k of half h: bits 2k..2k+1 of quant byte 32h + l.
    bytes.put(quants, (byte) 0b00_00_01_11); // value 0: q 3; value 32: q 1 (sub 2: scale 0)
    bytes.put(quants + 16, (byte) 0b00_00_10_00); // value 48 (quarter 1, l 16): q 2
    bytes.put(quants + 32 + 31, (byte) 0b11_00_00_00); // value 255 (half 1, quarter 3): q 3

    float[] expected = new float[256];
    // value = d * scale * q - dmin * min
    Arrays.fill(expected, 0, 16, 0.5f * 2 * 0 - 0.25f * 1); // -0.25
    expected[0] = 0.5f * 2 * 3 - 0.25f * 1; // 2.75
    expected[48] = 0.5f * 5 * 2; // 5
    Arrays.fill(expected, 240, 256, 0.5f * 3 * 0 - 0.25f * 15); // -3.75
    expected[255] = 0.5f * 3 * 3 - 0.25f * 15; // 0.75
    assertThat(expected[255]).isEqualTo(0.75f);
    assertThat(dequantize(GgmlType.Q2_K, bytes)).containsExactly(expected, within(0f));
  }

  @Test
  void dequantizesAQ3_KBlockWithHighBitMaskAndSignedSixBitScales() {
    ByteBuffer bytes = block(110);
    int hmask = 0;
    int quants = 32;
    int scales = 96;
    bytes.putShort(108, (short) 0x3800); // d = 0.5, stored last
    // A set hmask bit means q = low bits; a clear one q = low bits - 4. Set all, clear two below.
    for (int l = 0; l < 32; l++) {
      bytes.put(hmask + l, (byte) 0xff);
    }
    // Scale j (6 bits, minus 32): low 4 bits from s[j] (j < 8, low nibble) or s[j - 8] (high
    // nibble), high 2 bits from s[8 + j % 4] at bit 2 * (j / 4). Zero bits give -32.
    bytes.put(scales, (byte) 0x01); // sub 0 low 1
    bytes.put(scales + 8, (byte) 0x02); // sub 0 high 2 -> 0b10_0001 = 33 -> +1
    bytes.put(scales + 1, (byte) 0xe0); // sub 9 low 14 (high nibble of s[1])
    bytes.put(scales + 9, (byte) 0x10); // sub 9 high 1 (s[9] bits 4-5) -> 30 -> -2
    bytes.put(scales + 7, (byte) 0xf0); // sub 15 low 15
    bytes.put(scales + 11, (byte) 0xc0); // sub 15 high 3 (s[11] bits 6-7) -> 63 -> +31
    // Value l (< 32) of quarter k of half h: bits 2k..2k+1 of quant byte 32h + l, hmask[l] bit
    // 4h + k, sub-block 8h + 2k + l / 16.
    bytes.put(quants, (byte) 0x03); // value 0: q 3 (sub 0)
    bytes.put(hmask + 1, (byte) 0xfe); // value 1: hmask bit 0 clear, q = 0 - 4 (sub 0)
    bytes.put(quants + 32 + 20, (byte) 0x02); // value 148 (half 1, quarter 0, l 20): low 2
    bytes.put(hmask + 20, (byte) 0xef); // ... and hmask[20] bit 4 clear: q = 2 - 4 (sub 9)
    bytes.put(quants + 32 + 31, (byte) 0xc0); // value 255 (half 1, quarter 3, l 31): q 3 (sub 15)

    float[] expected = new float[256]; // q = 0 elsewhere: 0 whatever the scale
    // value = d * (scale - 32) * q
    expected[0] = 0.5f * 1 * 3; // 1.5
    expected[1] = 0.5f * 1 * -4; // -2
    expected[148] = 0.5f * -2 * -2; // 2
    expected[255] = 0.5f * 31 * 3; // 46.5
    assertThat(expected[255]).isEqualTo(46.5f);
    assertThat(dequantize(GgmlType.Q3_K, bytes)).containsExactly(expected, within(0f));
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
  void dequantizesAQ5_KBlockWithItsFifthBitsPerSubBlockPair() {
    ByteBuffer bytes = block(176);
    int scales = 4;
    int high = 16;
    int quants = 48;
    bytes.putShort(0, (short) 0x3800); // d = 0.5
    bytes.putShort(2, (short) 0x3400); // dmin = 0.25
    // Scales and mins packed as in Q4_K (see the Q4_K test).
    bytes.put(scales, (byte) 0x02); // sub 0 scale 2
    bytes.put(scales + 4, (byte) 0x01); // sub 0 min 1
    bytes.put(scales + 1, (byte) 0x03); // sub 1 scale 3, min 0
    bytes.put(scales + 8, (byte) 0x01); // sub 4 scale 1, min 0
    bytes.put(scales + 3, (byte) 0x40); // sub 3 scale 0; top bits 0b01 -> sub 7 scale bits 5-4
    bytes.put(scales + 7, (byte) 0x80); // sub 3 min 0; top bits 0b10 -> sub 7 min bits 5-4
    bytes.put(scales + 11, (byte) 0x21); // sub 7 scale 0b01_0001 = 17, min 0b10_0010 = 34
    // Quants: bytes 32g..32g+31 hold sub-block 2g (low nibbles) and 2g + 1 (high nibbles); qh[l]
    // bit 2g (2g + 1) adds 16 to value l of sub-block 2g (2g + 1).
    bytes.put(quants, (byte) 0x3a); // value 0: 10; value 32: 3
    bytes.put(high, (byte) 0b0000_0011); // value 0: 10 + 16 = 26; value 32: 3 + 16 = 19
    bytes.put(high + 5, (byte) 0b0001_0000); // bit 4: value 5 of sub 4 (value 133): 0 + 16
    bytes.put(quants + 96 + 31, (byte) 0xf0); // value 255: 15 of sub 7 (value 223: 0 of sub 6)
    bytes.put(high + 31, (byte) 0b1000_0000); // bit 7: value 255: 15 + 16 = 31

    float[] expected = new float[256];
    // value = d * scale * q - dmin * min
    Arrays.fill(expected, 0, 32, 0.5f * 2 * 0 - 0.25f * 1); // -0.25
    expected[0] = 0.5f * 2 * 26 - 0.25f * 1; // 25.75
    expected[32] = 0.5f * 3 * 19; // 28.5
    expected[133] = 0.5f * 1 * 16; // 8
    Arrays.fill(expected, 224, 256, 0.5f * 17 * 0 - 0.25f * 34); // -8.5
    expected[255] = 0.5f * 17 * 31 - 0.25f * 34; // 255
    assertThat(expected[255]).isEqualTo(255f);
    assertThat(dequantize(GgmlType.Q5_K, bytes)).containsExactly(expected, within(0f));
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
}
