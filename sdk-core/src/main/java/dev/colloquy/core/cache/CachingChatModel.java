package dev.colloquy.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.core.observe.ChatEvent;
import dev.colloquy.core.observe.ChatListener;
import java.util.Optional;

/**
 * The cache decorator of one model in one scope. A hit is replayed to the stream listener as text
 * deltas and tool calls, as a live reply would be; a miss goes to the model and its response is
 * stored only if it is complete (finish reason STOP or TOOL_CALLS) and the call was not cancelled.
 * Failures are never stored.
 */
final class CachingChatModel implements ChatModel {

  private final ChatModel delegate;
  private final String model;
  private final String scope;
  private final Cache<CacheKey, ChatResponse> store;
  private final boolean onlyDeterministic;
  private final int chunkSize;
  private final ChatListener listener;

  CachingChatModel(
      ChatModel delegate,
      String model,
      String scope,
      Cache<CacheKey, ChatResponse> store,
      boolean onlyDeterministic,
      int chunkSize,
      ChatListener listener) {
    this.delegate = delegate;
    this.model = model;
    this.scope = scope;
    this.store = store;
    this.onlyDeterministic = onlyDeterministic;
    this.chunkSize = chunkSize;
    this.listener = listener;
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
    if (onlyDeterministic && !request.options().isDeterministic()) {
      return delegate.generate(request, stream, cancellation);
    }
    cancellation.throwIfCancelled();
    CacheKey key = CacheKey.of(scope, model, request);
    ChatResponse cached = store.getIfPresent(key);
    listener.onEvent(new ChatEvent.CacheLookup(model, scope, cached != null));
    if (cached != null) {
      replay(cached, stream);
      return cached;
    }
    ChatResponse response = delegate.generate(request, stream, cancellation);
    if (isComplete(response) && !cancellation.isCancelled()) {
      store.put(key, response);
    }
    return response;
  }

  private static boolean isComplete(ChatResponse response) {
    return response.finishReason() == FinishReason.STOP
        || response.finishReason() == FinishReason.TOOL_CALLS;
  }

  private void replay(ChatResponse response, StreamListener stream) {
    String text = response.text();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(start + chunkSize, text.length());
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end++;
      }
      stream.onText(text.substring(start, end));
      start = end;
    }
    for (ToolCall call : response.message().toolCalls()) {
      stream.onToolCall(call);
    }
  }

  @Override
  public String toString() {
    return "Cache[" + scope + "](" + delegate + ")";
  }
}
