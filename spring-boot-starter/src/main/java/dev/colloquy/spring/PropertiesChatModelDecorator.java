package dev.colloquy.spring;

import dev.colloquy.core.cache.ResponseCache;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.observe.ChatListener;
import dev.colloquy.core.observe.ListeningChatModel;
import dev.colloquy.core.resilience.ResiliencePolicy;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The auto-configured {@link ChatModelDecorator}: {@code Listening( Cache( Resilience( model ) )
 * )}, the order of docs/architecture.md, each layer present only when configured. Decorates each
 * model once and hands the same instance back after, so breaker and cache state is shared.
 * Thread-safe.
 */
final class PropertiesChatModelDecorator implements ChatModelDecorator {
  private final ResiliencePolicy resilience;
  private final ResponseCache cache;
  private final ChatListener listener;
  private final Map<ChatModel, ChatModel> decorated = new IdentityHashMap<>();

  /**
   * @param resilience the policy, or null for none
   * @param cache the cache, or null for none
   * @param listener the listener, or null for none
   */
  PropertiesChatModelDecorator(
      ResiliencePolicy resilience, ResponseCache cache, ChatListener listener) {
    this.resilience = resilience;
    this.cache = cache;
    this.listener = listener;
  }

  @Override
  public synchronized ChatModel decorate(String name, ChatModel model) {
    return decorated.computeIfAbsent(
        model,
        m -> {
          ChatModel result = m;
          if (resilience != null) {
            result = resilience.decorate(name, result);
          }
          if (cache != null) {
            result = cache.decorate(name, result);
          }
          if (listener != null) {
            result = ListeningChatModel.of(name, result, listener);
          }
          return result;
        });
  }
}
