package dev.colloquy.core.resilience;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cancels a call that runs past its limit and reports it as a {@link TimeLimitExceededException}.
 *
 * <p>Resilience4j's {@code TimeLimiter} times a {@code Future}; a {@code ChatModel} call is
 * blocking and already cancellable, so the limit is a {@link Scheduler} alarm that cancels a child
 * of the caller's {@link Cancellation}: no extra thread per call, and the backend closes its
 * connection as it does for any cancellation.
 */
final class TimeLimitingChatModel implements ChatModel {

  private final ChatModel delegate;
  private final Duration limit;
  private final Scheduler scheduler;

  TimeLimitingChatModel(ChatModel delegate, ResiliencePolicy policy) {
    this.delegate = delegate;
    this.limit = policy.timeout();
    this.scheduler = policy.scheduler();
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
    cancellation.throwIfCancelled();
    Cancellation limited = Cancellation.create();
    AtomicBoolean timedOut = new AtomicBoolean();
    try (Cancellation.Registration link = cancellation.onCancel(limited::cancel);
        Cancellation.Registration alarm =
            scheduler.schedule(
                limit,
                () -> {
                  timedOut.set(true);
                  limited.cancel();
                })) {
      return delegate.generate(request, stream, limited);
    } catch (CancelledException e) {
      if (timedOut.get() && !cancellation.isCancelled()) {
        throw new TimeLimitExceededException(
            "the model call ran past its time limit of "
                + limit
                + " and was cancelled; raise the limit with ResiliencePolicy.Builder.timeout(...) for long replies",
            limit,
            e);
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "TimeLimit(" + delegate + ")";
  }
}
