package dev.colloquy.model.local.internal.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blocks read into the kept layout give, value for value and bit for bit, what ggml's reference
 * dequantization of the same bytes gives (which {@link GgmlSuperBlocksTest} and {@link
 * GgmlBlocksTest} check against hand-computed values), through {@code get}, {@code copyTo} of any
 * range, and after taking or reordering rows.
 */
class KeptBlocksTest {

  private static final long SEED = 18L;

  /** Random blocks whose f16 scales are finite and of a sensible size. */
  private static ByteBuffer randomBlocks(GgmlType type, int blocks, SplittableRandom random) {
    byte[] bytes = new byte[blocks * type.blockBytes()];
    random.nextBytes(bytes);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int b = 0; b < blocks; b++) {
      int at = b * type.blockBytes();
      switch (type) {
        case F16, BF16 -> buffer.putShort(at, (short) (buffer.getShort(at) & 0xbfff));
        case Q8_0, Q4_0 -> buffer.putShort(at, randomScale(random));
        case Q4_K -> {
          buffer.putShort(at, randomScale(random));
          buffer.putShort(at + 2, randomScale(random));
        }
        case Q6_K -> buffer.putShort(at + 208, randomScale(random));
        default -> throw new IllegalArgumentException(type.toString());
      }
    }
    return buffer;
  }

  private static short randomScale(SplittableRandom random) {
    return (short) (0x1800 + random.nextInt(0x1000)); // about 2^-9 to 2^-5
  }

  private static float[] dequantized(GgmlType type, ByteBuffer blocks, int count) {
    float[] values = new float[count];
    type.dequantize(blocks, 0, values, 0, count / type.blockSize());
    return values;
  }

  /** Reads the blocks in two runs, as a reader mapping the file in chunks would. */
  private static WeightTensor kept(GgmlType type, ByteBuffer blocks, int count) {
    int total = count / type.blockSize();
    int first = total / 3;
    KeptBlocks kept = new KeptBlocks(type, count);
    kept.read(blocks.duplicate().order(ByteOrder.LITTLE_ENDIAN), 0, first);
    ByteBuffer rest =
        blocks
            .duplicate()
            .position(first * type.blockBytes())
            .slice()
            .order(ByteOrder.LITTLE_ENDIAN);
    kept.read(rest, first, total - first);
    return kept.tensor();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
  void keepsBlocksThatDequantizeAsGgmlDoes(String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    SplittableRandom random = new SplittableRandom(SEED);
    int count = 3 * 512;
    ByteBuffer blocks = randomBlocks(type, count / type.blockSize(), random);
    float[] expected = dequantized(type, blocks, count);
    WeightTensor tensor = kept(type, blocks, count);

    assertThat(tensor.encoding()).isEqualTo(typeName);
    assertThat(tensor.size()).isEqualTo(count);
    assertThat(tensor.toFloats()).as("seed %d", SEED).containsExactly(expected);
    float[] one = new float[count];
    for (int i = 0; i < count; i++) {
      one[i] = tensor.get(i);
    }
    assertThat(one).containsExactly(expected);
    float[] range = new float[300];
    tensor.copyTo(37, 300, range, 0);
    assertThat(range).containsExactly(Arrays.copyOfRange(expected, 37, 337));
    // The kept bytes stay within 12% of the file's (Q4_0's float scale: 20 bytes for 18).
    assertThat((double) tensor.byteSize())
        .isLessThanOrEqualTo(1.12 * count / type.blockSize() * type.blockBytes());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Q4_K", "Q6_K"})
  void takesAndReordersWholeRowsOfSuperBlocks(String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    SplittableRandom random = new SplittableRandom(SEED);
    int columns = 512;
    int rows = 5;
    ByteBuffer blocks = randomBlocks(type, rows * columns / 256, random);
    float[] values = dequantized(type, blocks, rows * columns);
    WeightTensor tensor = kept(type, blocks, rows * columns);

    assertThat(tensor.rows(columns, 1, 3).toFloats())
        .containsExactly(Arrays.copyOfRange(values, columns, 3 * columns));
    int[] order = {3, 0, 4, 2, 1};
    float[] reordered = tensor.reorderRows(columns, order).toFloats();
    for (int i = 0; i < rows; i++) {
      assertThat(Arrays.copyOfRange(reordered, i * columns, (i + 1) * columns))
          .as("row %d", i)
          .containsExactly(
              Arrays.copyOfRange(values, order[i] * columns, (order[i] + 1) * columns));
    }
    assertThatThrownBy(() -> tensor.rows(128, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not whole super-blocks of 256");
  }

  @Test
  void rejectsTypesItDoesNotKeepAndPartialBlocks() {
    assertThat(KeptBlocks.keeps(GgmlType.Q5_K)).isFalse();
    assertThatThrownBy(() -> new KeptBlocks(GgmlType.Q5_K, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Q5_K");
    assertThatThrownBy(() -> new KeptBlocks(GgmlType.Q4_K, 300))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("300 values are not whole blocks of Q4_K");
  }
}
