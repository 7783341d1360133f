package dev.colloquy.model.local.internal.runtime;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Splits a loop over {@code parts} pieces between the calling thread and {@code threads - 1}
 * daemon workers. One pool per loaded model; its calls come from one generation at a time.
 */
final class WorkerPool implements AutoCloseable {

  private final int threads;
  private final ExecutorService workers;
  @SuppressWarnings("unchecked")
  private final Future<?>[] pending;

  WorkerPool(int threads) {
    this.threads = threads;
    this.pending = new Future<?>[threads];
    this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, task -> {
      Thread thread = new Thread(task, "colloquy-local-kernel");
      thread.setDaemon(true);
      return thread;
    });
  }

  int threads() {
    return threads;
  }

  /** Runs {@code part.accept(p)} for p in [0, threads), in parallel, and waits for all. */
  synchronized void forEachPart(IntConsumer part) {
    if (threads == 1) {
      part.accept(0);
      return;
    }
    for (int p = 1; p < threads; p++) {
      int index = p;
      pending[p] = workers.submit(() -> part.accept(index));
    }
    part.accept(0);
    for (int p = 1; p < threads; p++) {
      try {
        pending[p].get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a kernel thread", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a kernel thread failed: " + e.getCause(), e.getCause());
      }
    }
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
