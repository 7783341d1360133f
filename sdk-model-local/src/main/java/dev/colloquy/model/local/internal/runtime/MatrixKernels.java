package dev.colloquy.model.local.internal.runtime;

/**
 * Picks the matrix kernel. This is the Java 17 version: always the plain-Java kernel. The jar's
 * Java 21+ part (src/main/java21, META-INF/versions/21) has a version of this class that returns
 * the Vector API kernel when the {@code jdk.incubator.vector} module is present.
 */
final class MatrixKernels {

  private MatrixKernels() {}

  /** The fastest kernel this JVM can run. */
  static MatrixKernel best() {
    return Kernels.SCALAR;
  }

  /** The fastest kernel for compressed weights this JVM can run. */
  static BlockKernel bestBlock() {
    return BlockKernels.SCALAR;
  }

  /** The fastest attention kernel this JVM can run. */
  static AttentionKernel attention() {
    return AttentionKernel.SCALAR;
  }

  /** Whether {@link #best()} is the Vector API kernel. */
  static boolean vectorAvailable() {
    return false;
  }
}
