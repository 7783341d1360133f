package dev.colloquy.model.local;

/**
 * Where a local model runs.
 *
 * @param kind auto, CPU or GPU
 * @param gpuIndex the GPU's index for {@link Kind#GPU}, otherwise 0
 */
public record LocalDevice(Kind kind, int gpuIndex) {

  /** The kinds of device. */
  public enum Kind {
    /** The first GPU PyTorch sees, else the CPU. */
    AUTO,
    /** The CPU. */
    CPU,
    /** A CUDA GPU, through DJL's PyTorch engine. */
    GPU
  }

  /** Validates the index. */
  public LocalDevice {
    java.util.Objects.requireNonNull(kind, "kind");
    if (gpuIndex < 0 || (kind != Kind.GPU && gpuIndex != 0)) {
      throw new IllegalArgumentException(
          "gpuIndex must be 0 or more, and 0 unless the kind is GPU: " + gpuIndex);
    }
  }

  /** Returns the automatic choice: a GPU when PyTorch sees one, else the CPU. */
  public static LocalDevice auto() {
    return new LocalDevice(Kind.AUTO, 0);
  }

  /** Returns the CPU. */
  public static LocalDevice cpu() {
    return new LocalDevice(Kind.CPU, 0);
  }

  /** Returns GPU number {@code index}. */
  public static LocalDevice gpu(int index) {
    return new LocalDevice(Kind.GPU, index);
  }

  /**
   * Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static LocalDevice parse(String text) {
    String value = text.strip().toLowerCase(java.util.Locale.ROOT);
    if (value.equals("auto")) {
      return auto();
    }
    if (value.equals("cpu")) {
      return cpu();
    }
    if (value.equals("gpu")) {
      return gpu(0);
    }
    if (value.matches("gpu:\\d{1,3}")) {
      return gpu(Integer.parseInt(value.substring(4)));
    }
    throw new IllegalArgumentException(
        "unknown device '" + text + "': expected auto, cpu, gpu or gpu:N");
  }

  @Override
  public String toString() {
    return kind == Kind.GPU ? "gpu:" + gpuIndex : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
