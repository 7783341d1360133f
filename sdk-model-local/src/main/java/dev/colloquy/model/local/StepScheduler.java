package dev.colloquy.model.local;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.resilience.CallRejectedException;
import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.GptSequence;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching for one model: each request runs its own generation loop on its caller's
 * thread and hands every forward pass to this scheduler, which runs the passes of all requests
 * together as one {@link GptRuntime#appendAll} step.
 *
 * <p>Design note. One lock guards all state; {@code changed} is signalled on every change. The
 * invariants:
 *
 * <ul>
 *   <li>At most {@code slots} requests hold a {@link Slot}; up to {@code maxQueued} more wait for
 *       one in arrival order; a request beyond that is rejected at once.
 *   <li>A step takes every pending decode submission and, in arrival order, the prompt chunks that
 *       fit in {@code stepPromptTokens} together (always the first); the others stay pending.
 *   <li>A slot's submission is pending (in {@code pending}), in the running step, or done. At most
 *       one step runs at a time, run by one of the submitting threads with the lock released; the
 *       sequences of a step are used by no other thread until it ends (a cancelled or interrupted
 *       request whose sequence is in the step waits for the step to end before it leaves).
 *   <li>Before a step starts, it waits for the requests that took part in the previous step and are
 *       still working on its result (sampling, streaming), so that they decode together: for as
 *       long as the previous step took (1 to 100 ms), since splitting a step costs about a step,
 *       and no longer, so that a caller blocked in its stream listener holds the others back at
 *       most that much a step. Newcomers join whatever step comes next.
 *   <li>After {@link #close}, waiting requests fail, held slots fail at their next step, and {@code
 *       release} runs once, when no slot is held any more.
 * </ul>
 *
 * The runtime's contract this relies on: {@code appendAll} is never called by two threads at once,
 * but may run while other threads create, copy, truncate or close sequences that are not in the
 * step (the prompt cache does that for requests joining or leaving).
 */
final class StepScheduler {

  /** Bounds on how long a step waits for the requests of the previous one to come back. */
  private static final long MIN_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private enum State {
    IDLE,
    PENDING,
    IN_STEP,
    DONE,
    WORKING
  }

  private final GptRuntime runtime;
  private final int stepPromptTokens;
  private final int slots;
  private final int maxQueued;
  private final Runnable release;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Object> queue = new ArrayDeque<>(); // tickets, oldest first
  private final Set<Slot> held = new LinkedHashSet<>();
  private final List<Slot> pending = new ArrayList<>();
  private boolean stepRunning;
  private long stepEnded = System.nanoTime();
  private long gatherNanos = MIN_GATHER_NANOS; // the last step's duration, within the bounds
  private boolean gatherEveryone; // tests: wait for the last step's requests however long
  private boolean closed;
  private boolean released;
  private long steps; // for tests and benchmarks
  private long batchedSteps; // steps of more than one sequence
  private long stepRows; // sequences over all steps

  /**
   * @param runtime the engine whose steps it runs
   * @param slots the most requests holding a slot at once, at least 1
   * @param maxQueued the most requests waiting for a slot, at least 0
   * @param stepPromptTokens the most tokens of prompt chunks (submissions of more than one token) a
   *     step takes, all requests together; a first chunk is taken whatever its size
   * @param release what frees the model once it is closed and no request runs any more
   */
  StepScheduler(
      GptRuntime runtime, int slots, int maxQueued, int stepPromptTokens, Runnable release) {
    this.runtime = runtime;
    this.stepPromptTokens = stepPromptTokens;
    this.slots = slots;
    this.maxQueued = maxQueued;
    this.release = release;
  }

  /**
   * Takes a slot, waiting in arrival order while all are held.
   *
   * @throws CallRejectedException when all slots are held and the queue is full
   * @throws CancelledException when cancelled or interrupted while waiting, or the model is closed
   *     meanwhile
   * @throws IllegalStateException when the model is closed
   */
  Slot admit(Cancellation cancellation) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("this LocalGptModel is closed");
      }
      if (held.size() < slots && queue.isEmpty()) {
        return new Slot(cancellation);
      }
      if (queue.size() >= maxQueued) {
        throw new CallRejectedException(
            CallRejectedException.Reason.CONCURRENCY,
            "the local model is busy: all "
                + slots
                + " batch slot(s) are taken and "
                + queue.size()
                + " request(s) wait for one, the most allowed; try again later, or raise"
                + " LocalGptModel.Builder.batchSlots (requests decoding together, each with its"
                + " own KV cache) or LocalGptModel.Builder.maxQueuedRequests",
            null);
      }
      Object ticket = new Object();
      queue.addLast(ticket);
      try (Cancellation.Registration wake = cancellation.onCancel(this::wakeAll)) {
        while (true) {
          if (closed) {
            throw new CancelledException(
                "the local model was closed while this request waited for a batch slot");
          }
          cancellation.throwIfCancelled();
          if (queue.peekFirst() == ticket && held.size() < slots) {
            return new Slot(cancellation);
          }
          changed.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancelledException(
            "interrupted while waiting for a batch slot of the local model");
      } finally {
        queue.remove(ticket);
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks the model closed: waiting requests fail, running ones fail before their next step, and
   * the model is released at once when none runs, else when the last one leaves.
   */
  void close() {
    boolean releaseNow;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      releaseNow = held.isEmpty();
      released = releaseNow;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (releaseNow) {
      release.run();
    }
  }

  private void wakeAll() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** How long a pending step should still wait for last step's requests; 0 to run it now. */
  private long gatherWait() {
    if (closed) {
      return 0;
    }
    for (Slot slot : held) {
      boolean working = slot.state == State.DONE || slot.state == State.WORKING;
      if (working && !slot.cancellation.isCancelled()) {
        return gatherEveryone
            ? Long.MAX_VALUE
            : Math.max(0, stepEnded + gatherNanos - System.nanoTime());
      }
    }
    return 0;
  }

  /**
   * Runs one step over the pending submissions the budget admits (see the class note); called with
   * the lock held, returns with it.
   */
  private void runStep(Slot runner) {
    // A cancelled request's submission stays out; its own thread withdraws it. Prompt chunks share
    // one chunk's worth of tokens a step, taken in arrival order where they fit (the rest wait for
    // the next step, where the oldest comes first), so that prompts arriving together delay the
    // decoding requests by one chunk's work, not one each.
    List<Slot> batch = new ArrayList<>();
    int promptTokens = 0;
    for (Slot slot : pending) {
      if (slot.cancellation.isCancelled()) {
        continue;
      }
      if (slot.tokens.length > 1) {
        if (promptTokens > 0 && promptTokens + slot.tokens.length > stepPromptTokens) {
          continue;
        }
        promptTokens += slot.tokens.length;
      }
      batch.add(slot);
    }
    if (batch.isEmpty()) {
      return;
    }
    pending.removeAll(batch);
    List<GptSequence> sequences = new ArrayList<>(batch.size());
    List<int[]> tokens = new ArrayList<>(batch.size());
    for (Slot slot : batch) {
      slot.state = State.IN_STEP;
      sequences.add(slot.sequence);
      tokens.add(slot.tokens);
    }
    stepRunning = true;
    long started = System.nanoTime();
    float[][] logits = null;
    Throwable failure = null;
    lock.unlock();
    try {
      logits = runtime.appendAll(sequences, tokens);
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      lock.lock();
    }
    for (int i = 0; i < batch.size(); i++) {
      Slot slot = batch.get(i);
      slot.state = State.DONE;
      slot.sequence = null;
      slot.tokens = null;
      slot.logits = logits == null ? null : logits[i];
      slot.failure = failure;
      slot.ranStep = slot == runner;
    }
    stepRunning = false;
    stepEnded = System.nanoTime();
    gatherNanos = Math.min(MAX_GATHER_NANOS, Math.max(MIN_GATHER_NANOS, stepEnded - started));
    steps++;
    stepRows += batch.size();
    if (batch.size() > 1) {
      batchedSteps++;
    }
    changed.signalAll();
  }

  /**
   * Makes each step wait for all requests of the previous one however long they take, so that tests
   * see every running request in every step.
   */
  void gatherEveryone() {
    lock.lock();
    try {
      gatherEveryone = true;
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many submissions wait for a step. */
  int pending() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many requests wait for a slot. */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many steps ran, how many of them had more than one sequence, and how many sequences
   * they had in all.
   */
  long[] stepCounts() {
    lock.lock();
    try {
      return new long[] {steps, batchedSteps, stepRows};
    } finally {
      lock.unlock();
    }
  }

  /** One request's place among those decoding together; used by its own thread, closed once. */
  final class Slot implements AutoCloseable {
    private final Cancellation cancellation;
    private final Cancellation.Registration wake;
    private State state = State.IDLE;
    private GptSequence sequence;
    private int[] tokens;
    private float[] logits;
    private Throwable failure;
    private boolean ranStep;
    private boolean left;

    /** Called with the lock held. */
    private Slot(Cancellation cancellation) {
      this.cancellation = cancellation;
      held.add(this);
      this.wake = cancellation.onCancel(StepScheduler.this::wakeAll);
    }

    /**
     * Appends {@code tokens} to {@code sequence} in the next step, as {@link GptSequence#append}
     * would, and returns the logits after the last of them.
     *
     * @throws CancelledException when the request is cancelled or interrupted before its tokens
     *     went into a step, or the model was closed
     */
    float[] append(GptSequence sequence, int[] tokens) {
      lock.lock();
      try {
        throwIfStopped();
        this.sequence = sequence;
        this.tokens = tokens;
        state = State.PENDING;
        pending.add(this);
        changed.signalAll();
        while (true) {
          switch (state) {
            case DONE -> {
              return take();
            }
            case IN_STEP -> changed.awaitUninterruptibly();
            default -> {
              if (closed || cancellation.isCancelled()) {
                withdraw();
                throwIfStopped();
              }
              if (stepRunning) {
                changed.await();
              } else {
                long wait = gatherWait();
                if (wait == 0) {
                  runStep(this);
                } else {
                  changed.awaitNanos(wait);
                }
              }
            }
          }
        }
      } catch (InterruptedException e) {
        withdraw();
        Thread.currentThread().interrupt();
        throw new CancelledException("interrupted while waiting for the local model's next step");
      } finally {
        lock.unlock();
      }
    }

    private void withdraw() {
      pending.remove(this);
      state = State.IDLE;
      sequence = null;
      tokens = null;
      changed.signalAll();
    }

    private float[] take() {
      state = State.WORKING;
      float[] result = logits;
      Throwable error = failure;
      logits = null;
      failure = null;
      if (error == null) {
        return result;
      }
      if (ranStep && error instanceof RuntimeException runtimeError) {
        throw runtimeError;
      }
      if (ranStep && error instanceof Error fatal) {
        throw fatal;
      }
      throw new NonRetryableException(
          "the local model's step for this and other requests failed: " + error, error);
    }

    private void throwIfStopped() {
      if (closed) {
        throw new CancelledException("the local model was closed while this request was running");
      }
      cancellation.throwIfCancelled();
    }

    /** Leaves: the slot goes to the next waiting request. */
    @Override
    public void close() {
      boolean releaseNow;
      lock.lock();
      try {
        if (left) {
          return;
        }
        left = true;
        held.remove(this);
        releaseNow = closed && held.isEmpty() && !released;
        released |= releaseNow;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      wake.close();
      if (releaseNow) {
        release.run();
      }
    }
  }
}
