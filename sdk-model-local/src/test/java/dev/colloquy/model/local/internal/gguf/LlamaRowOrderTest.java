package dev.colloquy.model.local.internal.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.model.local.fixture.GgufConversion;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LlamaRowOrderTest {

  @Test
  void putsInterleavedPairsBackIntoRotateHalfOrder() {
    // One head of width 4, one column: Hugging Face rows a b | c d (halves) pair a with c and b
    // with d; llama.cpp's converter stores them adjacent: a c b d.
    float[] permuted = {1f, 3f, 2f, 4f};
    assertThat(GgufConversion.permute(new float[] {1f, 2f, 3f, 4f}, 1, 4, 1))
        .containsExactly(permuted);
    assertThat(LlamaRowOrder.unpermute(permuted, 1, 1)).containsExactly(1f, 2f, 3f, 4f);
  }

  @Test
  void isTheExactInverseOfTheConvertersPermutation() {
    Random random = new Random(17);
    for (int heads = 1; heads <= 5; heads++) {
      for (int headWidth = 2; headWidth <= 12; headWidth += 2) {
        for (int columns = 1; columns <= 4; columns++) {
          int rows = heads * headWidth;
          float[] weights = new float[rows * columns];
          for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextFloat();
          }
          float[] permuted = GgufConversion.permute(weights, heads, rows, columns);
          assertThat(LlamaRowOrder.unpermute(permuted, heads, columns))
              .as("heads %d, head width %d, columns %d", heads, headWidth, columns)
              .containsExactly(weights);
          if (headWidth > 2) {
            assertThat(permuted).isNotEqualTo(weights); // the test would prove nothing otherwise
          }
        }
      }
    }
  }
}
