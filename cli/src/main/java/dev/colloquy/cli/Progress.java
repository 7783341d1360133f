package dev.colloquy.cli;

import java.io.PrintStream;
import java.util.function.Supplier;

/** Shows that something slow is under way: a ticking line on a terminal, one line otherwise. */
final class Progress {

  private final PrintStream out;
  private final boolean terminal;

  Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Runs the task, showing {@code what} until it ends, then how long it took. */
  <T> T during(String what, Supplier<T> task) {
    long start = System.nanoTime();
    out.print(what + " ...");
    out.flush();
    Thread ticker = null;
    if (terminal) {
      ticker =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Thread.sleep(400);
                    out.print('.');
                    out.flush();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "colloquy-progress");
      ticker.setDaemon(true);
      ticker.start();
    }
    try {
      T result = task.get();
      stop(ticker);
      out.printf(" done in %.1f s%n", (System.nanoTime() - start) / 1e9);
      return result;
    } catch (RuntimeException e) {
      stop(ticker);
      out.println(" failed");
      throw e;
    }
  }

  private static void stop(Thread ticker) {
    if (ticker == null) {
      return;
    }
    ticker.interrupt();
    try {
      ticker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
