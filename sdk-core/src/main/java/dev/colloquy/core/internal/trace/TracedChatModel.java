package dev.colloquy.core.internal.trace;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the {@code chat} span of a model call, or, inside one already open (an agent's, or an outer
 * decorator's), names the model it asks for. So however many traced layers a stack has, one logical
 * call makes one {@code chat} span; retries and fallbacks inside it add their own child spans (see
 * {@code RetryingChatModel}, {@code FallbackChatModel}).
 *
 * <p>The span ends when {@code generate} returns or throws, which for a stream is when its last
 * delta has arrived or it was cancelled. Thread-safe.
 */
public final class TracedChatModel implements ChatModel {

  private final SpanFactory spans;
  private final String provider;
  private final String model;
  private final ChatModel delegate;

  /**
   * @param spans where spans go
   * @param provider {@code gen_ai.provider.name}, or {@code null} when unknown
   * @param model {@code gen_ai.request.model}, or {@code null} when unknown
   * @param delegate the model
   */
  public TracedChatModel(SpanFactory spans, String provider, String model, ChatModel delegate) {
    this.spans = spans;
    this.provider = provider;
    this.model = model;
    this.delegate = delegate;
  }

  /**
   * Calls a model in a {@code chat} span when a Colloquy span is current on this thread (a chain
   * step's, a tool's), plainly otherwise.
   */
  public static ChatResponse generateInCurrent(
      ChatModel model, ChatRequest request, StreamListener listener, Cancellation cancellation) {
    TraceSpan current = TraceSpan.current();
    if (current == null || current.kind().isModelCall()) {
      return model.generate(request, listener, cancellation);
    }
    return new TracedChatModel(current.factory(), null, null, model)
        .generate(request, listener, cancellation);
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
    TraceSpan open = TraceSpan.currentModelCall();
    if (open != null) {
      if (model != null) {
        open.requestModel(provider, model);
      }
      return delegate.generate(request, listener, cancellation);
    }
    TraceSpan span =
        spans.start(
            SpanKind.CHAT, GenAi.OBSERVE_CHAT, "chat", Map.of(GenAi.OPERATION_NAME, "chat"), null);
    try {
      if (model != null) {
        span.requestModel(provider, model);
      }
      delegate.secretRedactor().ifPresent(span::addSecrets);
      GenAi.request(span, request);
      ChatResponse response;
      TraceSpan.Scope scope = span.makeCurrent();
      try {
        response = delegate.generate(request, listener, cancellation);
      } finally {
        scope.close();
      }
      GenAi.response(span, response);
      return response;
    } catch (RuntimeException | Error e) {
      span.fail(e);
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public String toString() {
    return "Traced(" + delegate + ")";
  }
}
