package dev.colloquy.model.local.internal.runtime;

/**
 * Puts DJL in offline mode before its first use. DJL reads its settings only from system properties
 * and environment variables, which are process-wide: we set {@code ai.djl.offline=true} only when
 * the application has not set it either way, and never touch it again. The native libraries then
 * come from the {@code pytorch-native-cpu} and tokenizers jars on the class path, unpacked into
 * {@code DJL_CACHE_DIR} (default {@code ~/.djl.ai}), which must be writable.
 */
public final class DjlEnvironment {

  private DjlEnvironment() {}

  /** DJL's own setting for libtorch's intra-op threads, read once when the engine starts. */
  static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

  /**
   * Returns how many intra-op threads the inference engines give libtorch on the CPU: {@value
   * #THREADS_PROPERTY} when the application set it, else half the available processors (at least
   * one). Not all of them: libtorch's OpenMP threads spin at the end of every operation waiting for
   * each other, so on a machine with more runnable threads than cores a step stalls whenever one of
   * them is descheduled; on this project's busy 2-core machine two threads decoded 2.5 to 6 times
   * slower than one (docs/local.md, "The DJL engine on the CPU").
   */
  static int cpuThreads() {
    Integer chosen = Integer.getInteger(THREADS_PROPERTY);
    if (chosen != null && chosen > 0) {
      return chosen;
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /**
   * Makes libtorch run the calling thread's CPU operations on {@code threads} intra-op threads.
   * libtorch keeps the count per thread (and takes a new thread's from the last one set), so the
   * engines call this at the start of each step rather than once: a step may run on any thread.
   */
  static void useThreads(int threads) {
    if (ai.djl.pytorch.jni.JniUtils.getNumThreads() != threads) {
      ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }
  }

  /** Applies the offline default if the application has not chosen. */
  public static synchronized void preferOffline() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /**
   * Starts (once) and returns DJL's PyTorch engine, offline by default.
   *
   * @throws dev.colloquy.model.local.ModelLoadException when the engine cannot start, saying how to
   *     fix it
   */
  public static ai.djl.engine.Engine pytorch() {
    preferOffline();
    try {
      return ai.djl.engine.Engine.getEngine("PyTorch");
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new dev.colloquy.model.local.ModelLoadException(
          "DJL's PyTorch engine did not start: "
              + e.getMessage()
              + ". Put ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64) and pytorch-jni on the class path, or "
              + "set PYTORCH_LIBRARY_PATH to a libtorch folder (see docs/local.md)",
          e);
    }
  }
}
