package dev.colloquy.model.local.internal.runtime;

import java.util.Optional;

/**
 * Picks the matrix kernel. This is the Java 21+ version of the class (META-INF/versions/21): the
 * Vector API kernel when the {@code jdk.incubator.vector} module is in the boot layer (run with
 * {@code --add-modules jdk.incubator.vector}) and 256-bit vectors are native, else the
 * plain-Java kernel.
 */
final class MatrixKernels {

  private static final MatrixKernel BEST = choose();
  private static final BlockKernel BEST_BLOCK = BEST == Kernels.SCALAR ? BlockKernels.SCALAR : chooseBlock();
  private static final AttentionKernel ATTENTION =
      BEST == Kernels.SCALAR ? AttentionKernel.SCALAR : chooseAttention();

  private MatrixKernels() {
  }

  /** The fastest kernel this JVM can run. */
  static MatrixKernel best() {
    return BEST;
  }

  /** The fastest kernel for compressed weights this JVM can run. */
  static BlockKernel bestBlock() {
    return BEST_BLOCK;
  }

  /** The fastest attention kernel this JVM can run. */
  static AttentionKernel attention() {
    return ATTENTION;
  }

  /** Whether {@link #best()} is the Vector API kernel. */
  static boolean vectorAvailable() {
    return BEST != Kernels.SCALAR;
  }

  private static BlockKernel chooseBlock() {
    try {
      return new VectorBlockKernel();
    } catch (LinkageError e) {
      return BlockKernels.SCALAR;
    }
  }

  private static AttentionKernel chooseAttention() {
    try {
      return new VectorAttentionKernel();
    } catch (LinkageError e) {
      return AttentionKernel.SCALAR;
    }
  }

  private static MatrixKernel choose() {
    Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
    if (vector.isEmpty()) {
      return Kernels.SCALAR;
    }
    Module self = MatrixKernels.class.getModule();
    if (self.isNamed()) {
      self.addReads(vector.get()); // module-info cannot require an incubator module that may be absent
    }
    try {
      MatrixKernel kernel = VectorMatrixKernel.createIfFast();
      return kernel != null ? kernel : Kernels.SCALAR;
    } catch (LinkageError e) {
      return Kernels.SCALAR;
    }
  }
}
