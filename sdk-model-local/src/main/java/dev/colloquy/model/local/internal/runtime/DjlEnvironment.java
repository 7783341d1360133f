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
