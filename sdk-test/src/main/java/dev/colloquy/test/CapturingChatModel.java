package dev.colloquy.test;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A decorator that passes every call to another model and keeps a {@link Transcript} of what was
 * asked and answered. Several capturing models may share one log, so that a test with two models
 * gets one transcript in call order.
 *
 * <p>Thread-safe.
 */
public final class CapturingChatModel implements ChatModel {

  private final ChatModel delegate;
  private final String name;
  private final Log log;

  private CapturingChatModel(ChatModel delegate, String name, Log log) {
    this.delegate = delegate;
    this.name = name;
    this.log = log;
  }

  /**
   * Wraps a model with a log of its own.
   *
   * @param delegate the model that answers
   * @param name the model's name in the transcript; not blank
   */
  public static CapturingChatModel of(ChatModel delegate, String name) {
    return new CapturingChatModel(
        Objects.requireNonNull(delegate, "delegate"), checkName(name), new Log());
  }

  /** Returns another model writing to this one's log, so both appear in one transcript. */
  public CapturingChatModel sharingLogWith(ChatModel otherDelegate, String otherName) {
    return new CapturingChatModel(
        Objects.requireNonNull(otherDelegate, "delegate"), checkName(otherName), log);
  }

  /** Returns every call captured so far in this model's log. */
  public Transcript transcript() {
    synchronized (log) {
      return new Transcript(log.exchanges);
    }
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
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    try {
      ChatResponse response = delegate.generate(request, listener, cancellation);
      log.add(name, request, Optional.of(response), Optional.empty());
      return response;
    } catch (RuntimeException | Error e) {
      log.add(
          name,
          request,
          Optional.empty(),
          Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
      throw e;
    }
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a captured model's name must not be blank");
    }
    return name;
  }

  private static final class Log {
    private final List<Transcript.Exchange> exchanges = new ArrayList<>();

    synchronized void add(
        String model,
        ChatRequest request,
        Optional<ChatResponse> response,
        Optional<String> failure) {
      exchanges.add(
          new Transcript.Exchange(exchanges.size() + 1, model, request, response, failure));
    }
  }
}
