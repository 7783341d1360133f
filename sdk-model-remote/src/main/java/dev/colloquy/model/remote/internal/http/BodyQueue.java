package dev.colloquy.model.remote.internal.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands a response body from the HttpClient's thread to the calling thread, one batch of buffers at
 * a time (the next batch is requested only after the caller took this one, so memory stays
 * bounded). The caller polls with a timeout, which is how the stream-idle timeout works without a
 * timer thread; cancelling the subscription makes the HttpClient close the connection.
 */
final class BodyQueue implements HttpResponse.BodySubscriber<Void> {

  /** Polled when the body has ended normally. */
  static final Object COMPLETE = new Object();

  /** Polled when the call was cancelled. */
  static final Object CANCELLED = new Object();

  /** Polled when the body failed. */
  record Failure(Throwable cause) {}

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private Flow.Subscription subscription;
  private boolean cancelled;
  private boolean ended;

  @Override
  public void onSubscribe(Flow.Subscription value) {
    boolean cancelNow;
    synchronized (this) {
      subscription = value;
      cancelNow = cancelled;
    }
    if (cancelNow) {
      value.cancel();
    } else {
      value.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    queue.add(buffers);
  }

  @Override
  public void onError(Throwable throwable) {
    synchronized (this) {
      ended = true;
    }
    queue.add(new Failure(throwable));
  }

  @Override
  public void onComplete() {
    synchronized (this) {
      ended = true;
    }
    queue.add(COMPLETE);
  }

  @Override
  public CompletionStage<Void> getBody() {
    // Completed at once, so the response future completes with the headers, before the body.
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Returns the next item: a {@code List<ByteBuffer>}, a marker, a {@link Failure}, or null on
   * timeout.
   */
  Object poll(long timeoutNanos) throws InterruptedException {
    return queue.poll(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
  }

  /** Asks for the next batch of buffers, once the previous one was consumed. */
  void requestMore() {
    Flow.Subscription s;
    synchronized (this) {
      s = subscription;
    }
    if (s != null) {
      s.request(1);
    }
  }

  /** Stops the body and closes the connection, unless the body has already ended. */
  void cancel() {
    Flow.Subscription s;
    synchronized (this) {
      if (cancelled || ended) {
        return;
      }
      cancelled = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
  }

  /** Wakes a caller blocked in {@link #poll} because the call was cancelled. */
  void wakeForCancellation() {
    queue.add(CANCELLED);
  }
}
