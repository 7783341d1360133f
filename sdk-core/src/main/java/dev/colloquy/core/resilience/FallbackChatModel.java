package dev.colloquy.core.resilience;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.ColloquyException;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.internal.trace.GenAi;
import dev.colloquy.core.internal.trace.SpanKind;
import dev.colloquy.core.internal.trace.TraceSpan;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tries models in order until one answers: the primary, then each fallback (a remote model, then a
 * local one, say), each usually decorated with its own {@link ResiliencePolicy}. The response's
 * {@link ChatResponse#modelId()} says which model answered.
 *
 * <p>Moves to the next model on any {@link ColloquyException} except a cancellation, and only while
 * nothing has been streamed to the caller (so the caller never sees two replies mixed). When every
 * model fails, the last failure is thrown with the earlier ones suppressed.
 *
 * <p>{@link #capabilities()} are the primary's. Immutable and thread-safe.
 */
public final class FallbackChatModel implements ChatModel {

  private final List<ChatModel> models;

  private FallbackChatModel(List<ChatModel> models) {
    this.models = models;
  }

  /**
   * Returns a model that tries {@code primary}, then each fallback in order.
   *
   * @param primary the model to try first
   * @param fallbacks the models to try next; at least one
   */
  public static FallbackChatModel of(ChatModel primary, ChatModel... fallbacks) {
    List<ChatModel> all = new ArrayList<>();
    all.add(Objects.requireNonNull(primary, "primary"));
    for (int i = 0; i < fallbacks.length; i++) {
      all.add(Objects.requireNonNull(fallbacks[i], "fallbacks[" + i + "]"));
    }
    if (all.size() < 2) {
      throw new IllegalArgumentException(
          "a fallback chain needs at least one fallback model after the primary");
    }
    return new FallbackChatModel(List.copyOf(all));
  }

  @Override
  public ModelCapabilities capabilities() {
    return models.get(0).capabilities();
  }

  /** Returns the secrets of every model in the chain. */
  @Override
  public Optional<SecretRedactor> secretRedactor() {
    return models.stream()
        .map(ChatModel::secretRedactor)
        .flatMap(Optional::stream)
        .reduce(SecretRedactor::and);
  }

  // The first model's: the fallbacks answer only when it fails, and a budget fits them alike.
  @Override
  public Optional<TokenCounter> tokenCounter() {
    return models.get(0).tokenCounter();
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener stream, Cancellation cancellation) {
    ColloquyException last = null;
    // Inside a traced model call, each model tried gets a span of its own under it.
    TraceSpan call = TraceSpan.currentModelCall();
    for (int i = 0; i < models.size(); i++) {
      StreamTracker tracker = new StreamTracker(stream);
      TraceSpan span = call == null ? null : startTry(call, i);
      TraceSpan.Scope scope = span == null ? null : span.makeCurrent();
      try {
        ChatResponse response = models.get(i).generate(request, tracker, cancellation);
        if (span != null) {
          span.tag(GenAi.RESPONSE_MODEL, response.modelId());
        }
        return response;
      } catch (RuntimeException | Error e) {
        if (span != null) {
          span.fail(e);
        }
        if (e instanceof CancelledException cancelled) {
          throw withSuppressed(cancelled, last);
        }
        if (!(e instanceof ColloquyException failure)) {
          throw e;
        }
        if (tracker.started() || cancellation.isCancelled()) {
          throw withSuppressed(failure, last);
        }
        last = withSuppressed(failure, last);
      } finally {
        if (span != null) {
          scope.close();
          span.end();
        }
      }
    }
    throw last;
  }

  private static TraceSpan startTry(TraceSpan call, int index) {
    TraceSpan span = call.child(SpanKind.FALLBACK, GenAi.OBSERVE_FALLBACK, "fallback", Map.of());
    span.tag(GenAi.FALLBACK_INDEX, Integer.toString(index));
    return span;
  }

  private static <E extends ColloquyException> E withSuppressed(E e, ColloquyException earlier) {
    if (earlier != null && earlier != e) {
      e.addSuppressed(earlier);
    }
    return e;
  }

  @Override
  public String toString() {
    return "Fallback" + models;
  }
}
