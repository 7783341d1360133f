package dev.colloquy.model.local.internal.runtime;

/**
 * Puts DJL in offline mode before its first use. DJL reads its settings only from system
 * properties and environment variables, which are process-wide: we set {@code ai.djl.offline=true}
 * only when the application has not set it either way, and never touch it again. The native
 * libraries then come from the {@code pytorch-native-cpu} and tokenizers jars on the class path,
 * unpacked into {@code DJL_CACHE_DIR} (default {@code ~/.djl.ai}), which must be writable.
 */
public final class DjlEnvironment {

  private DjlEnvironment() {
  }

  /** Applies the offline default if the application has not chosen. */
  public static synchronized void preferOffline() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }
}
