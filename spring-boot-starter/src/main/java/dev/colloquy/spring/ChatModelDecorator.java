package dev.colloquy.spring;

import dev.colloquy.core.model.ChatModel;

/**
 * Wraps the application's {@link ChatModel} in the decorators the agents call through. The
 * auto-configured one builds, outermost first, {@code Listening( Cache( Retry(...( model )) ) )}
 * from the {@code ChatListener} beans, {@code colloquy.cache.*} and {@code colloquy.resilience.*},
 * each layer only when it is configured. Declare a bean of this type to build another chain.
 */
@FunctionalInterface
public interface ChatModelDecorator {

  /** A decorator that returns the model unchanged. */
  ChatModelDecorator NONE = (name, model) -> model;

  /**
   * Returns the model the agents use.
   *
   * @param name the model's name in meters, cache keys and definition files (its bean name)
   * @param model the backend
   * @return the decorated model; call once per model and share the result, since decorators hold
   *     state (a breaker's window, a cache)
   */
  ChatModel decorate(String name, ChatModel model);
}
