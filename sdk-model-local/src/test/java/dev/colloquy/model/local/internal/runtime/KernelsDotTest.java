package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The attention dot product: the exact sum to float rounding, at any offset and length. */
class KernelsDotTest {

  @Test
  void equalsTheExactSumToRoundingForEveryLengthAndOffset() {
    SplittableRandom random = new SplittableRandom(7);
    float[] a = new float[200];
    float[] b = new float[200];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
      b[i] = (float) random.nextGaussian();
    }
    for (int length = 0; length <= 70; length++) {
      for (int offset : new int[] {0, 3, 61}) {
        double exact = 0;
        double magnitude = 0;
        for (int i = 0; i < length; i++) {
          exact += (double) a[offset + i] * b[offset + 2 + i];
          magnitude += Math.abs((double) a[offset + i] * b[offset + 2 + i]);
        }
        float dot = Kernels.dot(a, offset, b, offset + 2, length);
        assertThat((double) dot)
            .as("length %d at offset %d", length, offset)
            .isCloseTo(exact, within(1e-6 * magnitude + 1e-30));
      }
    }
  }

  @Test
  void theSameInputsGiveTheSameBitsWhereverTheyLie() {
    SplittableRandom random = new SplittableRandom(11);
    float[] q = new float[64];
    float[] keys = new float[64 * 5];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < 64; i++) {
      keys[128 + i] = (float) random.nextGaussian();
    }
    float[] copy = new float[64];
    System.arraycopy(keys, 128, copy, 0, 64);

    assertThat(Float.floatToRawIntBits(Kernels.dot(q, 0, keys, 128, 64)))
        .isEqualTo(Float.floatToRawIntBits(Kernels.dot(q, 0, copy, 0, 64)));
  }
}
