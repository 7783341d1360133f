package dev.colloquy.model.local.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PanelMatrixTest {

  private static float[] random(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[count];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return values;
  }

  @Test
  void packsARowMajorMatrixWithItsColumnsInTheGivenOrderAcrossAPartialPanel() {
    int rows = 5;
    int columns = 150; // two whole panels and one of 22 columns
    float[] source = random(rows * columns, 1);
    int[] order = new int[columns];
    for (int c = 0; c < columns; c++) {
      order[c] = (c * 7) % columns; // 7 and 150 are coprime: a permutation
    }
    PanelMatrix matrix =
        PanelMatrix.ofRowMajor(PanelMatrix.Values.of(source), rows, columns, order);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        assertThat(matrix.get(r, c)).isEqualTo(source[r * columns + order[c]]);
      }
    }
    assertThat(matrix.panelWidth(2)).isEqualTo(22);
    // Panel 2 starts after two whole panels and is row-major with a stride of its own width.
    assertThat(matrix.data()[matrix.panelOffset(2) + 3 * 22 + 4])
        .isEqualTo(source[3 * columns + order[2 * 64 + 4]]);
  }

  @Test
  void packsTheTransposeReadingOnePanelOfSourceRowsAtATime() {
    int rows = 70;
    int columns = 130;
    float[] source = random(rows * columns, 2); // [columns, rows]
    List<long[]> reads = new ArrayList<>();
    PanelMatrix matrix =
        PanelMatrix.ofTransposed(
            (from, into, at, count) -> {
              reads.add(new long[] {from, count});
              System.arraycopy(source, (int) from, into, at, count);
            },
            rows,
            columns);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        assertThat(matrix.get(r, c)).isEqualTo(source[c * rows + r]);
      }
    }
    assertThat(reads)
        .containsExactly(
            new long[] {0, 64 * rows},
            new long[] {64 * rows, 64 * rows},
            new long[] {128 * rows, 2 * rows});
    float[] column = new float[12];
    matrix.copyColumn(129, 58, 12, column, 0);
    for (int i = 0; i < 12; i++) {
      assertThat(column[i]).isEqualTo(source[129 * rows + 58 + i]);
    }
  }

  @Test
  void aMatrixTooLargeForOneArrayIsRefusedBeforeAnythingIsRead() {
    assertThatThrownBy(
            () ->
                PanelMatrix.ofTransposed(
                    (from, into, at, count) -> {
                      throw new AssertionError("read");
                    },
                    1 << 16,
                    1 << 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536 x 65536 matrix does not fit one Java array");
  }
}
