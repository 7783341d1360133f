package dev.colloquy.model.local.internal.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A matrix split into parts of whole rows ({@link WeightTensor.Rows}) reads, slices and reorders
 * exactly as the matrix it was split from.
 */
class WeightTensorRowsTest {

  private static final int COLUMNS = 64;
  private static final int ROWS = 21;

  private static WeightTensor.Q8_0 matrix() {
    Random random = new Random(5);
    float[] values = new float[ROWS * COLUMNS];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return WeightTensor.quantizeQ8_0(new WeightTensor.F32(values));
  }

  @Test
  void partsReadAsTheWholeMatrix() {
    WeightTensor whole = matrix();
    WeightTensor.Rows parted = (WeightTensor.Rows) WeightTensor.split(whole, COLUMNS, 8);

    assertThat(parted.parts()).hasSize(3);
    assertThat(parted.parts().get(2).size()).isEqualTo(5 * COLUMNS);
    assertThat(parted.size()).isEqualTo(whole.size());
    assertThat(parted.byteSize()).isEqualTo(whole.byteSize());
    assertThat(parted.encoding()).isEqualTo("Q8_0");
    assertThat(parted.toFloats()).containsExactly(whole.toFloats());
    for (int i = 0; i < whole.size(); i += 37) {
      assertThat(parted.get(i)).isEqualTo(whole.get(i));
    }
    // A run that crosses two part boundaries.
    float[] run = new float[12 * COLUMNS];
    float[] expected = new float[run.length];
    parted.copyTo(5 * COLUMNS + 3, run.length, run, 0);
    whole.copyTo(5 * COLUMNS + 3, expected.length, expected, 0);
    assertThat(run).containsExactly(expected);
  }

  @Test
  void slicesAndReorderedRowsAreThoseOfTheWholeMatrix() {
    WeightTensor whole = matrix();
    WeightTensor parted = WeightTensor.split(whole, COLUMNS, 8);

    assertThat(parted.rows(COLUMNS, 6, 19).toFloats())
        .containsExactly(whole.rows(COLUMNS, 6, 19).toFloats());
    assertThat(parted.rows(COLUMNS, 2, 5)).isInstanceOf(WeightTensor.Q8_0.class);
    int[] order = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      order[i] = (i * 8) % ROWS;
    }
    WeightTensor reordered = parted.reorderRows(COLUMNS, order);
    assertThat(reordered).isInstanceOf(WeightTensor.Rows.class);
    assertThat(reordered.toFloats()).containsExactly(whole.reorderRows(COLUMNS, order).toFloats());
  }

  @Test
  void stackingPartsGivesTheMatrixBack() {
    WeightTensor.Q8_0 whole = matrix();
    WeightTensor.Q8_0 stacked =
        (WeightTensor.Q8_0)
            WeightTensor.stack(((WeightTensor.Rows) WeightTensor.split(whole, COLUMNS, 8)).parts());

    assertThat(stacked.scales()).containsExactly(whole.scales());
    assertThat(stacked.quants()).containsExactly(whole.quants());
  }

  @Test
  void partsAreUnderHalfTheLimitWhereTheLastWouldLeaveMuchOfARegionEmpty() {
    int part = WeightTensor.PART_BYTES;
    // Llama's 2048-wide Q8_0 rows: parts of 504 rows; the last of 2048 rows (32 rows, 64 KB) is
    // small.
    assertThat(WeightTensor.rowsPerPart(2048, 2048, part)).isEqualTo(504);
    // GPT-2 small's 768 x 768 (590 KB, over half a region, far under a whole one): two small parts.
    assertThat(WeightTensor.rowsPerPart(768, 768, part)).isEqualTo(680);
    // Its 2304 q/k/v rows: 1360 a part would leave a last part of 944 rows (725 KB).
    assertThat(WeightTensor.rowsPerPart(2304, 768, part)).isEqualTo(680);
    // Its 3072 MLP rows: the last of 1360-row parts is 352 rows (270 KB), under half: kept.
    assertThat(WeightTensor.rowsPerPart(3072, 768, part)).isEqualTo(1360);
    // A last part that nearly fills its region is kept: 1300 rows of 768 bytes (975 KB).
    assertThat(WeightTensor.rowsPerPart(1300, 768, part)).isEqualTo(1300);
    // A small matrix is one part.
    assertThat(WeightTensor.rowsPerPart(100, 768, part)).isEqualTo(100);
  }

  @Test
  void aMatrixQuantizedInPartsHasTheBlocksOfTheWholeMatrixQuantized() {
    // 2048 columns: a part holds 504 rows (a multiple of 8 under 1 MiB of quants), so 1100 rows
    // make three parts.
    int columns = 2048;
    int rows = 1100;
    Random random = new Random(9);
    float[] values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    WeightTensor.F32 floats = new WeightTensor.F32(values);

    WeightTensor.Rows parted = (WeightTensor.Rows) WeightTensor.quantizeQ8_0(floats, columns);
    WeightTensor.Q8_0 whole = WeightTensor.quantizeQ8_0(floats);
    WeightTensor.Q8_0 stacked = (WeightTensor.Q8_0) WeightTensor.stack(parted.parts());

    assertThat(parted.rowsPerPart()).isEqualTo(504);
    assertThat(parted.parts()).hasSize(3);
    assertThat(((WeightTensor.Q8_0) parted.parts().get(0)).quants().length)
        .isLessThanOrEqualTo(WeightTensor.PART_BYTES);
    assertThat(stacked.scales()).containsExactly(whole.scales());
    assertThat(stacked.quants()).containsExactly(whole.quants());
    assertThat(WeightTensor.quantizeQ8_0(new WeightTensor.F32(new float[64 * 3]), 64))
        .isInstanceOf(WeightTensor.Q8_0.class);
  }

  @Test
  void partsThatDoNotFitAreRefused() {
    WeightTensor whole = matrix();
    WeightTensor first = whole.rows(COLUMNS, 0, 8);
    WeightTensor shortMiddle = whole.rows(COLUMNS, 8, 12);
    WeightTensor last = whole.rows(COLUMNS, 12, 21);

    assertThatThrownBy(() -> new WeightTensor.Rows(List.of(first, shortMiddle, last), COLUMNS, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("part 1");
    assertThatThrownBy(() -> new WeightTensor.Rows(List.of(first), COLUMNS, 8))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> WeightTensor.stack(List.of(first, new WeightTensor.F32(new float[COLUMNS]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot stack");
  }
}
