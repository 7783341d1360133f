package dev.colloquy.cli;

/** Closes resources whose close may declare checked exceptions. */
final class Closing {

  private Closing() {}

  static void close(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing " + closeable + " failed: " + e.getMessage(), e);
    }
  }
}
