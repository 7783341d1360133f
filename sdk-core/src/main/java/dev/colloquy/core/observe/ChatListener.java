package dev.colloquy.core.observe;

import java.util.List;
import java.util.Objects;

/**
 * Receives {@link ChatEvent}s: the listener SPI for metrics, logs and traces.
 *
 * <p>Events are delivered synchronously on the thread doing the work, so thread-bound context (an
 * MDC, a tracing span) set by the caller is in place when the listener runs. A listener must be
 * quick, thread-safe and must not throw: an exception from a listener propagates and fails the call
 * that emitted the event.
 */
@FunctionalInterface
public interface ChatListener {

  /** A listener that ignores every event. */
  ChatListener NONE = event -> {};

  /**
   * Receives one event.
   *
   * @param event what happened
   */
  void onEvent(ChatEvent event);

  /**
   * Returns a listener that passes each event to every given listener, in order.
   *
   * @param listeners the listeners; none null
   */
  static ChatListener all(ChatListener... listeners) {
    List<ChatListener> copy = List.of(listeners);
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return event -> {
      Objects.requireNonNull(event, "event");
      for (ChatListener listener : copy) {
        listener.onEvent(event);
      }
    };
  }
}
