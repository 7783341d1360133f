package dev.colloquy.model.local.internal.runtime;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The calling thread plus {@code threads - 1} persistent daemon workers that run one job at a time,
 * and the spin-then-park waiting the jobs use between their phases.
 *
 * <p>Design note. A decoded token is one {@link #run}: one wake-up of the workers. The job itself
 * decides when it is complete; {@code run} returns when the caller's share returns, and a worker
 * that the OS descheduled may still be inside the old job, only to find no work left (jobs must
 * make that safe: see {@link JavaGptRuntime}). So no thread ever waits for a worker that holds no
 * work. {@link #awaitUntil} spins for up to a millisecond (a phase lasts about half a millisecond,
 * and a parked thread may wait a whole scheduler slice to run again on a loaded machine), then
 * parks. Invariant against lost wake-ups: a waiter publishes itself in {@code parked} before
 * re-checking its condition and parking; whoever changes a condition calls {@link #wakeAll} after
 * the change.
 */
final class WorkerPool implements AutoCloseable {

  /** The work of one thread; {@code thread} is 0 on the caller, 1 to threads - 1 on workers. */
  interface Job {
    void run(int thread);
  }

  private static final long SPIN_NANOS = 1_000_000;

  private final int threads;
  private final Thread[] workers;
  private final AtomicReferenceArray<Thread>
      parked; // [threads]: the thread parked in slot i, or null
  private volatile int jobEpoch;
  private volatile Job job;
  private volatile boolean closed;

  WorkerPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.threads = threads;
    this.parked = new AtomicReferenceArray<>(threads);
    this.workers = new Thread[threads - 1];
    for (int i = 1; i < threads; i++) {
      int index = i;
      Thread worker = new Thread(() -> work(index), "colloquy-local-kernel-" + i);
      worker.setDaemon(true);
      workers[i - 1] = worker;
      worker.start();
    }
  }

  int threads() {
    return threads;
  }

  /**
   * Starts {@code job.run(t)} on every worker t and runs {@code job.run(0)} on the caller; returns
   * when the latter does.
   */
  synchronized void run(Job job) {
    if (closed) {
      throw new IllegalStateException("the kernel threads are closed");
    }
    if (threads > 1) {
      this.job = job;
      jobEpoch++; // single writer: the caller, under this lock
      wakeAll();
    }
    job.run(0);
  }

  /**
   * Spins, then parks in slot {@code thread}, until the condition holds (re-checked after each
   * {@link #wakeAll}).
   */
  void awaitUntil(int thread, BooleanSupplier condition) {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
        continue;
      }
      parked.set(thread, Thread.currentThread());
      try {
        while (!condition.getAsBoolean()) {
          LockSupport.park(this);
        }
      } finally {
        parked.set(thread, null);
      }
    }
  }

  /** Wakes every parked thread, so that it re-checks its condition. */
  void wakeAll() {
    for (int i = 0; i < threads; i++) {
      Thread waiter = parked.get(i);
      if (waiter != null) {
        LockSupport.unpark(waiter);
      }
    }
  }

  private void work(int index) {
    int seen = 0;
    while (true) {
      int expected = seen;
      awaitUntil(index, () -> jobEpoch != expected || closed);
      if (closed) {
        return;
      }
      seen = jobEpoch;
      Job current = job;
      try {
        current.run(index);
      } catch (RuntimeException | Error e) {
        // The job has recorded its failure for the caller (PhasedForward does); keep the
        // worker alive.
        continue;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread worker : workers) {
      LockSupport.unpark(worker);
    }
  }
}
