package dev.colloquy.model.local.internal.runtime;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One forward pass as a sequence of phases, run as one job on a {@link WorkerPool}; the engines
 * ({@link JavaGptRuntime}, {@link JavaDecoderRuntime}) supply the math of each phase.
 *
 * <p>Threads take a phase's tasks from its counter; the thread that completes a phase's last task
 * runs {@link #finishPhase} (adding partials, computing the next norm) and opens the next phase. A
 * thread that comes late (descheduled) finds the tasks taken and jumps to the open phase: phase
 * counters are never reused within a pass, and an engine rewrites a phase's buffers only two phases
 * later, after every task that read them is done. The first failure stops every thread and is
 * rethrown on the caller's thread by {@link #runOn}.
 *
 * @param <S> one thread's scratch buffers
 */
abstract class PhasedForward<S> implements WorkerPool.Job {

  private final WorkerPool pool;
  private final S[] scratch; // [threads]
  private final int phases;
  private final AtomicIntegerArray nextTask;
  private final AtomicIntegerArray doneTasks;
  private volatile int open; // the phase whose tasks are being taken; phases when complete
  private volatile Throwable failure;

  /**
   * @param pool the pool that runs the pass
   * @param scratch one scratch per pool thread
   * @param phases the number of phases
   */
  PhasedForward(WorkerPool pool, S[] scratch, int phases) {
    this.pool = pool;
    this.scratch = scratch;
    this.phases = phases;
    this.nextTask = new AtomicIntegerArray(phases);
    this.doneTasks = new AtomicIntegerArray(phases);
  }

  /** Returns the number of phases of the pass. */
  final int phases() {
    return phases;
  }

  /** Returns the number of tasks of {@code phase}. */
  abstract int taskCount(int phase);

  /** Runs one task of {@code phase} with the calling thread's scratch buffers. */
  abstract void runTask(int phase, int task, S scratch);

  /** Runs on the thread that completed the phase's last task, before the next phase opens. */
  abstract void finishPhase(int phase);

  /** Runs the whole pass on the pool and rethrows the first task's failure, if any. */
  final void runOn() {
    pool.run(this);
    rethrowFailure();
  }

  @Override
  public final void run(int thread) {
    S s = scratch[thread];
    for (int phase = open; phase < phases && failure == null; phase = open) {
      int total = taskCount(phase);
      for (int task; failure == null && (task = nextTask.getAndIncrement(phase)) < total; ) {
        try {
          runTask(phase, task, s);
          if (doneTasks.incrementAndGet(phase) == total) {
            finishPhase(phase);
            open = phase + 1;
            pool.wakeAll();
          }
        } catch (RuntimeException | Error e) {
          failure = e;
          pool.wakeAll();
          return;
        }
      }
      int current = phase;
      pool.awaitUntil(thread, () -> open != current || failure != null);
    }
  }

  private void rethrowFailure() {
    Throwable thrown = failure;
    if (thrown instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (thrown instanceof Error error) {
      throw error;
    }
  }
}
