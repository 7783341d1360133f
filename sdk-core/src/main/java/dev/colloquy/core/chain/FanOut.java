package dev.colloquy.core.chain;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.internal.trace.TraceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Runs the branches of a parallel or map step and joins them, cancelling the rest on the first
 * failure.
 */
final class FanOut {

  private static final AtomicInteger THREADS = new AtomicInteger();
  // Daemon threads, created on demand and gone after a minute idle: no thread outlives the JVM's
  // need.
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "colloquy-chain-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private FanOut() {}

  static <O> List<O> all(
      int count, BiFunction<Integer, ChainContext, ? extends O> branch, ChainContext context) {
    context.cancellation().throwIfCancelled();
    Cancellation branches = context.cancellation().child();
    ChainContext branchContext = context.withCancellation(branches);
    List<Future<O>> futures = new ArrayList<>(count);
    // Branches run on pool threads: the caller's span goes with them, so theirs nest under it.
    TraceSpan span = TraceSpan.current();
    for (int i = 0; i < count; i++) {
      int index = i;
      futures.add(
          POOL.submit(
              () -> {
                TraceSpan.Scope scope = span == null ? null : span.makeCurrent();
                try {
                  return branch.apply(index, branchContext);
                } finally {
                  if (scope != null) {
                    scope.close();
                  }
                }
              }));
    }
    Cancellation.Registration stop = branches.onCancel(() -> futures.forEach(f -> f.cancel(true)));
    try {
      List<O> results = new ArrayList<>(count);
      for (Future<O> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException e) {
      branches.cancel();
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      branches.cancel();
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for parallel steps");
    } catch (java.util.concurrent.CancellationException e) {
      context.cancellation().throwIfCancelled();
      throw new CancelledException("a parallel step was cancelled");
    } finally {
      stop.close();
    }
  }
}
