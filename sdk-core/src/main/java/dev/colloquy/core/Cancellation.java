package dev.colloquy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A cancellation signal passed from a caller to the model call, the tools and the chain steps
 * working for it. Cancelling is one-way and idempotent.
 *
 * <p>Work that can block registers a callback with {@link #onCancel(Runnable)} (to close a
 * connection or interrupt a thread) and checks {@link #throwIfCancelled()} between steps.
 *
 * <p>Thread-safe.
 */
public final class Cancellation {

  private static final Cancellation NONE = new Cancellation(false);

  private final boolean cancellable;
  private final List<Runnable> callbacks = new ArrayList<>();
  private boolean cancelled;

  private Cancellation(boolean cancellable) {
    this.cancellable = cancellable;
  }

  /** Returns a new signal that has not been cancelled. */
  public static Cancellation create() {
    return new Cancellation(true);
  }

  /** Returns the shared signal that is never cancelled; {@link #cancel()} on it is rejected. */
  public static Cancellation none() {
    return NONE;
  }

  /**
   * Returns a new signal that is cancelled when this one is, and that can also be cancelled on its
   * own without affecting this one.
   */
  public Cancellation child() {
    Cancellation child = create();
    Registration link = onCancel(child::cancel);
    child.onCancel(link::close);
    return child;
  }

  /**
   * Cancels this signal and runs every registered callback once, on the calling thread.
   *
   * @throws IllegalStateException on {@link #none()}
   */
  public void cancel() {
    if (!cancellable) {
      throw new IllegalStateException(
          "Cancellation.none() cannot be cancelled; use Cancellation.create()");
    }
    List<Runnable> toRun;
    synchronized (callbacks) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = new ArrayList<>(callbacks);
      callbacks.clear();
    }
    RuntimeException failure = null;
    for (Runnable callback : toRun) {
      try {
        callback.run();
      } catch (RuntimeException e) {
        // Every callback must run even when one fails; the first failure is rethrown.
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Returns whether {@link #cancel()} has been called. */
  public boolean isCancelled() {
    synchronized (callbacks) {
      return cancelled;
    }
  }

  /**
   * Throws if this signal has been cancelled.
   *
   * @throws CancelledException when cancelled
   */
  public void throwIfCancelled() {
    if (isCancelled()) {
      throw new CancelledException("the call was cancelled by its caller");
    }
  }

  /**
   * Registers a callback to run when this signal is cancelled; runs it at once on this thread if it
   * already is.
   *
   * @param callback what to do on cancellation; it should be quick and must not block
   * @return a registration whose {@link Registration#close()} removes the callback
   */
  public Registration onCancel(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    if (!cancellable) {
      return () -> {};
    }
    synchronized (callbacks) {
      if (!cancelled) {
        callbacks.add(callback);
        return () -> {
          synchronized (callbacks) {
            callbacks.remove(callback);
          }
        };
      }
    }
    callback.run();
    return () -> {};
  }

  /** A registered callback; closing it unregisters the callback. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    /** Unregisters the callback; does nothing if it already ran or was removed. */
    @Override
    void close();
  }
}
