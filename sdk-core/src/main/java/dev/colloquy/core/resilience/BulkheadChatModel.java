package dev.colloquy.core.resilience;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.Optional;

/** Caps the calls running at once with a Resilience4j semaphore {@link Bulkhead}. */
final class BulkheadChatModel implements ChatModel {

  private final ChatModel delegate;
  private final Bulkhead bulkhead;

  BulkheadChatModel(String name, ChatModel delegate, ResiliencePolicy policy) {
    this.delegate = delegate;
    this.bulkhead =
        Bulkhead.of(
            name + "-bulkhead",
            BulkheadConfig.custom()
                .maxConcurrentCalls(policy.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .build());
  }

  @Override
  public ModelCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public Optional<SecretRedactor> secretRedactor() {
    return delegate.secretRedactor();
  }

  @Override
  public Optional<TokenCounter> tokenCounter() {
    return delegate.tokenCounter();
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener stream, Cancellation cancellation) {
    if (!bulkhead.tryAcquirePermission()) {
      throw new CallRejectedException(
          CallRejectedException.Reason.CONCURRENCY,
          "bulkhead '"
              + bulkhead.getName()
              + "' already runs its "
              + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
              + " concurrent call(s); no request was sent. Try again shortly, or raise maxConcurrentCalls",
          null);
    }
    try {
      return delegate.generate(request, stream, cancellation);
    } finally {
      bulkhead.onComplete();
    }
  }

  @Override
  public String toString() {
    return "Bulkhead(" + delegate + ")";
  }
}
