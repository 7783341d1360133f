package dev.colloquy.model.remote.internal.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * Collects a whole response body, up to a limit, so that a blocking call costs the caller a single
 * wake-up (the response future completes with the body). Past the limit it stops reading, which
 * closes the connection, and either keeps what it has (an error body, shown shortened) or fails.
 */
final class WholeBody implements HttpResponse.BodySubscriber<byte[]> {

  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final int limit;
  private final Supplier<RuntimeException> overLimit;
  private Flow.Subscription subscription;

  /**
   * @param limit the most bytes kept
   * @param overLimit the failure for a body over the limit, or {@code null} to keep its start
   */
  WholeBody(int limit, Supplier<RuntimeException> overLimit) {
    this.limit = limit;
    this.overLimit = overLimit;
  }

  @Override
  public void onSubscribe(Flow.Subscription value) {
    subscription = value;
    value.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      int room = limit - bytes.size();
      if (buffer.remaining() > room) {
        subscription.cancel();
        if (overLimit != null) {
          result.completeExceptionally(overLimit.get());
        } else {
          append(buffer, room);
          result.complete(bytes.toByteArray());
        }
        return;
      }
      append(buffer, buffer.remaining());
    }
  }

  private void append(ByteBuffer buffer, int length) {
    byte[] chunk = new byte[length];
    buffer.get(chunk);
    bytes.write(chunk, 0, length);
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
