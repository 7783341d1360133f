package dev.colloquy.model.remote.internal.http;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.TruncatedResponseException;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.model.remote.RemoteProtocolException;
import dev.colloquy.model.remote.RemoteUnavailableException;
import dev.colloquy.model.remote.internal.openai.ErrorMapper;
import dev.colloquy.model.remote.internal.openai.ResponseAssembler;
import dev.colloquy.model.remote.internal.openai.ServerText;
import dev.colloquy.model.remote.internal.sse.SseEventParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP attempt: sends the request, waits for the headers, maps a failure status, then feeds the
 * body (an event stream, or one JSON document) to a {@link ResponseAssembler} on the calling
 * thread.
 *
 * <p>Invariants: the calling thread does all parsing and listener calls; it waits with timeouts
 * derived from the request deadline and the stream-idle timeout, so no timer thread exists; on
 * every way out (success, failure, listener exception, cancellation) the body subscription is
 * cancelled unless the body ended, which closes the connection rather than leaving it half read.
 */
final class Exchange {

  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_WHOLE_BODY = 64 * 1024 * 1024;
  private static final Duration AFTER_END_GRACE = Duration.ofSeconds(1);
  private static final System.Logger LOG = System.getLogger("dev.colloquy.model.remote");

  /** Null once closed, so that the client, its selector thread and its connections can be freed. */
  private volatile HttpClient client;

  private final ClientSettings settings;
  private final ErrorMapper errors;
  private final ServerText server;

  Exchange(HttpClient client, ClientSettings settings, ErrorMapper errors, ServerText server) {
    this.client = client;
    this.settings = settings;
    this.errors = errors;
    this.server = server;
  }

  /** Throws the error of a call made after {@link #close()}. */
  void checkOpen() {
    if (client == null) {
      throw new IllegalStateException(
          "the OpenAiChatModel for "
              + settings.where()
              + " (model "
              + settings.model()
              + ") was closed; build a new one");
    }
  }

  /**
   * Lets go of the HTTP client: on Java 21 and later it is closed (which waits for calls in
   * flight); on Java 17, which has no {@code HttpClient.close()}, dropping the last reference lets
   * its selector thread end once the client is collected. Idempotent.
   */
  void close() {
    HttpClient closing;
    synchronized (this) {
      closing = client;
      client = null;
    }
    if (closing instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(
            "closing the HTTP client of " + settings.where() + " failed: " + e, e);
      }
    }
  }

  ChatResponse run(
      HttpRequest request, boolean stream, ResponseAssembler assembler, Cancellation cancellation) {
    HttpClient client = this.client;
    if (client == null) {
      checkOpen();
    }
    long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
    long headerWait = request.timeout().orElseThrow().toNanos();
    BodyQueue body = new BodyQueue();
    Cancellation.Registration registration = () -> {};
    try {
      HttpResponse<Void> response;
      if (cancellation == Cancellation.none()) {
        // send() runs the exchange on this thread: about three times the throughput of
        // sendAsync().get() on a busy machine. A call that cannot be cancelled needs no more.
        response = send(client, request, body);
      } else {
        CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request, info -> body);
        registration =
            cancellation.onCancel(
                () -> {
                  future.cancel(true);
                  body.cancel();
                  body.wakeForCancellation();
                });
        response = await(future, headerWait, cancellation);
      }
      int status = response.statusCode();
      if (status / 100 != 2) {
        byte[] start = readAll(body, deadline, MAX_ERROR_BODY, false, cancellation);
        throw errors.map(status, response.headers(), start, settings.where());
      }
      assembler.requestId(ErrorMapper.requestId(response.headers()));
      String type = response.headers().firstValue("content-type").orElse("");
      if (stream && type.regionMatches(true, 0, "text/event-stream", 0, 17)) {
        readStream(body, assembler, deadline, cancellation);
      } else {
        // A blocking reply, or a server that ignored "stream": the same assembler reads it.
        assembler.onBody(readAll(body, deadline, MAX_WHOLE_BODY, true, cancellation));
      }
      ChatResponse result = assembler.finish();
      if (!assembler.usageReceived()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0} sent no token usage for model {1} ({2}); the response reports 0 input "
                + "and 0 output tokens, so costs and token budgets under-count it. Check that the server reports usage.",
            settings.where(),
            settings.model(),
            stream ? "asked for with stream_options.include_usage" : "blocking call");
      }
      return result;
    } finally {
      registration.close();
      body.cancel();
    }
  }

  private HttpResponse<Void> send(HttpClient client, HttpRequest request, BodyQueue body) {
    try {
      return client.send(request, info -> body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("the thread calling " + settings.where() + " was interrupted");
    } catch (IOException e) {
      throw sendFailure(e, Cancellation.none());
    }
  }

  private <T> T await(CompletableFuture<T> future, long waitNanos, Cancellation cancellation) {
    try {
      return future.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
    } catch (CancellationException e) {
      throw cancelled(cancellation);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new CancelledException("the thread calling " + settings.where() + " was interrupted");
    } catch (TimeoutException e) {
      future.cancel(true);
      throw unavailable("no response headers within " + Duration.ofNanos(waitNanos), e);
    } catch (ExecutionException e) {
      throw sendFailure(e.getCause(), cancellation);
    }
  }

  private RuntimeException sendFailure(Throwable cause, Cancellation cancellation) {
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cancellation.isCancelled()) {
      return cancelled(cancellation);
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return unavailable(
          "connecting timed out after "
              + settings.connectTimeout()
              + " (connectTimeout); check that the server is up and reachable",
          cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return unavailable(
          "no response headers in time (requestTimeout, or streamIdleTimeout for a stream)", cause);
    }
    if (cause instanceof ConnectException) {
      return unavailable(
          "the connection was refused; check that the server is running at "
              + settings.endpoint().getHost()
              + ":"
              + settings.endpoint().getPort(),
          cause);
    }
    if (cause instanceof IOException) {
      // The HTTP client quotes a malformed status line or header in its message: server text.
      return unavailable(
          "the connection failed before the response was complete ("
              + server.redact(cause.toString())
              + ")",
          cause);
    }
    if (cause instanceof RuntimeException runtime
        && !server.secrets().isIn(String.valueOf(runtime))) {
      return runtime;
    }
    return new NonRetryableException(
        "sending "
            + settings.where()
            + " failed unexpectedly: "
            + server.redact(String.valueOf(cause)),
        server.safeCause(cause));
  }

  private void readStream(
      BodyQueue body, ResponseAssembler assembler, long deadline, Cancellation cancellation) {
    // One read may hold many events: a listener that cancels must see none after it did.
    SseEventParser parser =
        new SseEventParser(
            settings.maxLineBytes(),
            (type, data, length, lastEventId) -> {
              if (cancellation.isCancelled()) {
                throw cancelled(cancellation);
              }
              assembler.onEvent(type, data, length);
            });
    while (true) {
      Object item;
      if (assembler.sawDone()) {
        // The reply is complete; wait briefly for the body's end so the connection can be reused,
        // but a server that holds the connection open after [DONE] must not stall the caller.
        item =
            poll(
                body,
                Math.min(AFTER_END_GRACE.toNanos(), deadline - System.nanoTime()),
                cancellation);
        if (item == null) {
          return;
        }
      } else if (assembler.hasEnded()) {
        // Finished, but the usage chunk and [DONE] follow: read on, as long as the stream is not
        // idle.
        long wait = Math.min(settings.streamIdleTimeout().toNanos(), deadline - System.nanoTime());
        item = poll(body, wait, cancellation);
        if (item == null) {
          return; // the reply itself is complete; missing usage is reported by run()
        }
      } else {
        item = nextInStream(body, assembler, deadline, cancellation);
      }
      if (item == BodyQueue.COMPLETE) {
        parser.finish();
        return;
      }
      if (item instanceof BodyQueue.Failure failure) {
        parser.finish();
        try {
          assembler.finish(); // a stream that had already finished may drop its connection
        } catch (TruncatedResponseException e) {
          e.addSuppressed(failure.cause()); // its cause is fixed at construction
          throw e;
        }
        return;
      }
      List<ByteBuffer> buffers = buffers(item);
      // Ask for the next batch before parsing this one, so the network and this thread overlap
      // (one batch in hand, at most one more in flight: memory stays bounded).
      body.requestMore();
      for (int i = 0; i < buffers.size(); i++) { // no iterator per batch
        parser.feed(buffers.get(i));
      }
    }
  }

  /**
   * Waits for the stream's next read; a stream abandoned for silence or for the request timeout
   * after some of the reply arrived is a truncated response that carries the partial text, as a cut
   * connection is, instead of a bare timeout that would lose it.
   */
  private Object nextInStream(
      BodyQueue body, ResponseAssembler assembler, long deadline, Cancellation cancellation) {
    try {
      return next(body, deadline, true, cancellation);
    } catch (RemoteUnavailableException e) {
      if (!assembler.started()) {
        throw e; // nothing was delivered: retried as any unavailable server
      }
      String partialText = assembler.partialText();
      TruncatedResponseException truncated =
          new TruncatedResponseException(
              e.getMessage()
                  + "; the stream was abandoned after "
                  + partialText.length()
                  + " characters of text. The text received "
                  + "so far is in partialText(); retrying the call may succeed.",
              partialText);
      truncated.addSuppressed(e);
      throw truncated;
    }
  }

  private byte[] readAll(
      BodyQueue body, long deadline, int limit, boolean mustFit, Cancellation cancellation) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      Object item = next(body, deadline, false, cancellation);
      if (item == BodyQueue.COMPLETE || item instanceof BodyQueue.Failure) {
        return out.toByteArray(); // a cut body is left to the JSON parser to report
      }
      for (ByteBuffer buffer : buffers(item)) {
        int take = Math.min(buffer.remaining(), limit - out.size());
        if (take < buffer.remaining() && mustFit) {
          throw new RemoteProtocolException(
              "the response body from "
                  + settings.where()
                  + " is larger than "
                  + limit
                  + " bytes; ask for a shorter reply or stream it",
              null);
        }
        byte[] bytes = new byte[take];
        buffer.get(bytes);
        out.write(bytes, 0, take);
      }
      if (out.size() >= limit) {
        return out.toByteArray(); // enough of an error body to show; the rest is dropped
      }
      body.requestMore();
    }
  }

  private Object next(BodyQueue body, long deadline, boolean idle, Cancellation cancellation) {
    long remaining = deadline - System.nanoTime();
    long wait = idle ? Math.min(remaining, settings.streamIdleTimeout().toNanos()) : remaining;
    Object item = poll(body, wait, cancellation);
    if (item == null) {
      throw remaining <= wait
          ? unavailable(
              "the whole request took longer than requestTimeout " + settings.requestTimeout(),
              null)
          : unavailable(
              "no bytes arrived for " + settings.streamIdleTimeout() + " (streamIdleTimeout)",
              null);
    }
    return item;
  }

  private Object poll(BodyQueue body, long waitNanos, Cancellation cancellation) {
    Object item;
    try {
      item = body.poll(waitNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException(
          "the thread reading from " + settings.where() + " was interrupted");
    }
    if (item == BodyQueue.CANCELLED || cancellation.isCancelled()) {
      throw cancelled(cancellation);
    }
    return item;
  }

  @SuppressWarnings("unchecked")
  private static List<ByteBuffer> buffers(Object item) {
    return (List<ByteBuffer>) item;
  }

  private CancelledException cancelled(Cancellation cancellation) {
    return new CancelledException(
        "the call to " + settings.where() + " was cancelled by its caller");
  }

  private RemoteUnavailableException unavailable(String what, Throwable cause) {
    return new RemoteUnavailableException(
        settings.where() + ": " + what, 0, "", server.safeCause(cause), null);
  }
}
