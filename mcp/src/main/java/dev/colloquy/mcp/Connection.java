package dev.colloquy.mcp;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * One live session with a server: the SDK's client over one transport, and {@link #lost()}, which
 * completes with the reason once the server is gone. Every request made through {@link #await}
 * fails at once, with that reason, when the server goes; a lost connection is closed and replaced
 * by the client's next call.
 *
 * <p>Over stdio, the transport knows when the process exits. Over HTTP a dropped response stream
 * only shows as a failure reported to the SDK's exception handler: the connection then pings the
 * server ({@value #PROBE_SECONDS} s at most), and a failed ping loses it; a server that answers the
 * ping keeps the calls in flight.
 */
final class Connection implements AutoCloseable {

  static final int PROBE_SECONDS = 5;

  /** A request's failure because the server went away; carries the reason for the message. */
  static final class Lost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Lost(String reason) {
      super(reason, null, false, false);
    }
  }

  private final McpClientTransport transport;
  private final CompletableFuture<String> lost;
  private final Supplier<String> errorTail;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile McpAsyncClient client;

  Connection(
      McpClientTransport transport, CompletableFuture<String> lost, Supplier<String> errorTail) {
    this.transport = transport;
    this.lost = lost;
    this.errorTail = errorTail;
    lost.whenComplete(
        (reason, failure) -> {
          for (CompletableFuture<?> request : inFlight) {
            request.completeExceptionally(new Lost(reason));
          }
        });
  }

  void attach(McpAsyncClient sdkClient) {
    this.client = sdkClient;
  }

  McpAsyncClient client() {
    return client;
  }

  boolean isLost() {
    return lost.isDone();
  }

  /** Returns why the server is gone ("exited with status 3"), or "" while it is not. */
  String lostReason() {
    return lost.getNow("");
  }

  /** Returns the last lines of the server's error output (stdio), redacted; "" when none. */
  String errorTail() {
    return errorTail.get();
  }

  /** Marks the connection lost (a transport failure the client saw itself). */
  void lose(String reason) {
    lost.complete(reason);
  }

  /**
   * The SDK reported a transport failure (HTTP): ping the server once, and lose the connection when
   * it does not answer.
   */
  void probe(String failure) {
    McpAsyncClient sdkClient = client;
    if (sdkClient == null || lost.isDone() || !probing.compareAndSet(false, true)) {
      return;
    }
    sdkClient
        .ping()
        .timeout(Duration.ofSeconds(PROBE_SECONDS))
        .subscribe(
            answer -> probing.set(false),
            error -> {
              probing.set(false);
              lost.complete("stopped answering (" + failure + ")");
            });
  }

  /**
   * Waits for a request: interruptible, cancelled with the cancellation, failed at once with {@link
   * Lost} when the server goes.
   *
   * @param timeout how long to wait; {@code null} for as long as it takes
   * @throws ExecutionException with the request's failure ({@link Lost} included)
   * @throws TimeoutException when the timeout passed
   * @throws CancelledException when cancelled or interrupted
   */
  <T> T await(Mono<T> request, Duration timeout, Cancellation cancellation, String what)
      throws ExecutionException, TimeoutException {
    CompletableFuture<T> future = request.toFuture();
    inFlight.add(future);
    if (lost.isDone()) {
      future.completeExceptionally(new Lost(lost.getNow("")));
    }
    try (Cancellation.Registration ignored = cancellation.onCancel(() -> future.cancel(true))) {
      return timeout == null ? future.get() : future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for " + what);
    } catch (CancellationException e) {
      throw new CancelledException(what + " was cancelled");
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    } finally {
      inFlight.remove(future);
    }
  }

  @Override
  public void close() {
    lost.complete("was closed");
    McpAsyncClient sdkClient = client;
    try {
      if (sdkClient != null) {
        sdkClient.close();
      }
    } finally {
      transport.close();
    }
  }
}
