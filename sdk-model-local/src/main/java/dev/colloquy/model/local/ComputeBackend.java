package dev.colloquy.model.local;

/** Which implementation of the forward pass runs the model. */
public enum ComputeBackend {
  /** DJL on a GPU; our Java kernels on the CPU (faster there: see docs/benchmarks.md). */
  AUTO,
  /** Plain-Java kernels on the CPU, multi-threaded. CPU only. */
  JAVA,
  /** DJL's PyTorch engine, on the CPU or a GPU. */
  DJL
}
