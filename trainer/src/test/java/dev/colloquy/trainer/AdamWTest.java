package dev.colloquy.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.colloquy.model.local.internal.runtime.DjlEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamWTest {

  // Regression: a skipped step zeroed NaN gradients by multiplying by 0, which leaves NaN, so every
  // later step was skipped too and the shipped model stopped learning part-way through training.
  @Test
  void aStepWithNonFiniteGradientsIsSkippedWithoutPoisoningLaterSteps() {
    Engine engine = DjlEnvironment.pytorch();
    try (NDManager manager = engine.newBaseManager()) {
      NDArray weight = manager.create(new float[] {1f, 2f});
      weight.setRequiresGradient(true);
      AdamW adam = new AdamW(List.of(weight), 0.0, 1.0);
      try (GradientCollector collector = engine.newGradientCollector()) {
        collector.backward(weight.mul(Float.NaN).sum());
      }

      assertThat(adam.update(0.1)).isNaN();
      assertThat(weight.toFloatArray()).containsExactly(1f, 2f);

      try (GradientCollector collector = engine.newGradientCollector()) {
        collector.backward(weight.mul(weight).sum());
      }
      double norm = adam.update(0.1);

      assertThat(norm)
          .isCloseTo(Math.sqrt(2 * 2 + 4 * 4), org.assertj.core.data.Offset.offset(1e-4));
      assertThat(weight.toFloatArray()[0]).isLessThan(1f);
      assertThat(weight.toFloatArray()[1]).isLessThan(2f);
    }
  }
}
