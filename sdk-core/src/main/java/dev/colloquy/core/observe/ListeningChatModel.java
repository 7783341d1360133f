package dev.colloquy.core.observe;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ChatModel} decorator that reports each call to a {@link ChatListener}: a {@link
 * ChatEvent.RequestSent} before it, then a {@link ChatEvent.ResponseReceived} or a {@link
 * ChatEvent.CallFailed} with the latency measured on the given clock.
 *
 * <p>Placed outermost in a decorator stack it sees what the caller sees (one request, one outcome,
 * cache hits included); placed innermost it sees each attempt sent to the backend.
 *
 * <p>Thread-safe when the delegate and the listener are.
 */
public final class ListeningChatModel implements ChatModel {

  private final String name;
  private final ChatModel delegate;
  private final ChatListener listener;
  private final Clock clock;
  private final AtomicLong calls = new AtomicLong();

  private ListeningChatModel(String name, ChatModel delegate, ChatListener listener, Clock clock) {
    this.name = name;
    this.delegate = delegate;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Decorates a model, timing calls on the system clock.
   *
   * @param name the model's name in events and meters; not blank
   * @param delegate the model to observe
   * @param listener receives the events
   */
  public static ListeningChatModel of(String name, ChatModel delegate, ChatListener listener) {
    return of(name, delegate, listener, Clock.systemUTC());
  }

  /**
   * Decorates a model, timing calls on the given clock.
   *
   * @param name the model's name in events and meters; not blank
   * @param delegate the model to observe
   * @param listener receives the events
   * @param clock the time source of latencies
   */
  public static ListeningChatModel of(
      String name, ChatModel delegate, ChatListener listener, Clock clock) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("the observed model's name must not be blank");
    }
    return new ListeningChatModel(
        name,
        Objects.requireNonNull(delegate, "delegate"),
        Objects.requireNonNull(listener, "listener"),
        Objects.requireNonNull(clock, "clock"));
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
    String callId = name + "#" + calls.incrementAndGet();
    listener.onEvent(new ChatEvent.RequestSent(callId, name, request));
    Instant start = clock.instant();
    ChatResponse response;
    try {
      response = delegate.generate(request, stream, cancellation);
    } catch (RuntimeException | Error e) {
      listener.onEvent(
          new ChatEvent.CallFailed(callId, name, e, Duration.between(start, clock.instant())));
      throw e;
    }
    listener.onEvent(
        new ChatEvent.ResponseReceived(
            callId, name, response, Duration.between(start, clock.instant())));
    return response;
  }

  @Override
  public String toString() {
    return "Listening(" + delegate + ")";
  }
}
