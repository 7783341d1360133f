package dev.colloquy.model.local.internal.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one job on the calling thread and {@code threads - 1} persistent daemon workers at once,
 * with a barrier the job calls between its dependent phases (SPMD style: every thread runs the
 * same code with its own index).
 *
 * <p>Design note. A decoded token is one {@link #run} (one wake-up of the workers) and about
 * two {@link #barrier} calls per layer. Waiting spins for a few tens of microseconds (a phase
 * lasts about half a millisecond, so the partner is usually about to arrive), then parks, so a
 * descheduled partner on a loaded machine does not cost a busy core. Invariants: a waiter
 * publishes itself in {@code parked} before re-checking its condition and parking; the releaser
 * changes the condition before reading {@code parked} and unparking, so no wake-up is lost. A
 * job that throws on any thread makes every other thread's barrier throw, and {@link #run}
 * rethrows it on the caller. One job at a time: {@code run} is synchronized.
 */
final class WorkerPool implements AutoCloseable {

  /** The work of one thread; {@code thread} is 0 on the caller, 1 to threads - 1 on workers. */
  interface Job {
    void run(int thread);
  }

  private static final long SPIN_NANOS = 50_000;
  private static final long IDLE_SPIN_NANOS = 200_000; // covers the sampling between two tokens

  private final int threads;
  private final Thread[] workers;
  private final AtomicReferenceArray<Thread> parked; // [threads]: the thread parked in slot i, or null
  private final AtomicInteger arrived = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private volatile int barrierEpoch;
  private volatile int jobEpoch;
  private volatile Job job;
  private volatile Throwable failure;
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

  /** Runs {@code job.run(t)} for t in [0, threads), t = 0 on the calling thread, and waits for all. */
  synchronized void run(Job job) {
    if (closed) {
      throw new IllegalStateException("the kernel threads are closed");
    }
    if (threads == 1) {
      job.run(0);
      return;
    }
    failure = null;
    arrived.set(0);
    finished.set(0);
    this.job = job;
    jobEpoch++; // single writer: the caller, under this lock
    wakeAll();
    try {
      job.run(0);
    } catch (Throwable t) {
      fail(t);
    }
    await(0, () -> finished.get() == threads - 1, SPIN_NANOS, false);
    this.job = null;
    Throwable thrown = failure;
    if (thrown != null) {
      if (thrown instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (thrown instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("a kernel thread failed", thrown);
    }
  }

  /** Waits until every thread of the current job has called this; memory effects before it are visible after it. */
  void barrier(int thread) {
    if (threads == 1) {
      return;
    }
    int epoch = barrierEpoch;
    if (arrived.incrementAndGet() == threads) {
      arrived.set(0);
      barrierEpoch = epoch + 1;
      wakeAll();
      return;
    }
    await(thread, () -> barrierEpoch != epoch, SPIN_NANOS, true);
  }

  private void work(int index) {
    int seen = 0;
    while (!closed) {
      int expected = seen;
      await(index, () -> jobEpoch != expected || closed, IDLE_SPIN_NANOS, false);
      if (closed) {
        return;
      }
      seen = jobEpoch;
      try {
        job.run(index);
      } catch (Throwable t) {
        fail(t);
      }
      finished.incrementAndGet();
      wakeOne(0);
    }
  }

  private void fail(Throwable t) {
    if (failure == null) {
      failure = t;
    }
    wakeAll();
  }

  private interface Condition {
    boolean holds();
  }

  /** Spins, then parks, until the condition holds; a barrier wait also ends (throwing) when a thread failed. */
  private void await(int slot, Condition condition, long spinNanos, boolean abortOnFailure) {
    long start = System.nanoTime();
    while (!condition.holds()) {
      checkFailure(abortOnFailure);
      if (System.nanoTime() - start < spinNanos) {
        Thread.onSpinWait();
        continue;
      }
      parked.set(slot, Thread.currentThread());
      try {
        while (!condition.holds()) {
          checkFailure(abortOnFailure);
          LockSupport.park(this);
        }
      } finally {
        parked.set(slot, null);
      }
    }
  }

  private void checkFailure(boolean abortOnFailure) {
    if (abortOnFailure && failure != null) {
      throw new IllegalStateException("another kernel thread failed", failure);
    }
  }

  private void wakeAll() {
    for (int i = 0; i < threads; i++) {
      wakeOne(i);
    }
  }

  private void wakeOne(int slot) {
    Thread waiter = parked.get(slot);
    if (waiter != null) {
      LockSupport.unpark(waiter);
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
