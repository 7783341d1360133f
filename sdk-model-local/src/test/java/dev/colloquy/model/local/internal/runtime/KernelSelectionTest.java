package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which kernels this JVM picks: the plain-Java ones from target/classes (surefire, any Java), the
 * Vector API ones from the packaged jar on Java 21+ with {@code jdk.incubator.vector} (the failsafe
 * run of the vector-kernels profiles, which sets {@code colloquy.test.kernel} to {@code vector}),
 * so that run cannot pass on the plain kernels by accident.
 */
class KernelSelectionTest {

  @Test
  void picksTheKernelsThisRunExpects() {
    String expected = System.getProperty("colloquy.test.kernel", "scalar");
    assertThat(MatrixKernels.best().name()).isEqualTo(expected);
    assertThat(MatrixKernels.bestBlock().name()).isEqualTo(expected);
    assertThat(MatrixKernels.vectorAvailable()).isEqualTo(expected.equals("vector"));
  }
}
