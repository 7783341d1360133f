package dev.colloquy.core.resilience;

import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.StreamListener;

/**
 * Passes a stream through and remembers whether anything reached the caller: once a delta has, the
 * call can no longer be retried or handed to a fallback without the caller seeing it twice.
 */
final class StreamTracker implements StreamListener {

  private final StreamListener delegate;
  private volatile boolean started;

  StreamTracker(StreamListener delegate) {
    this.delegate = delegate;
  }

  boolean started() {
    return started;
  }

  @Override
  public void onText(String delta) {
    started = true;
    delegate.onText(delta);
  }

  @Override
  public void onToolCall(ToolCall call) {
    started = true;
    delegate.onToolCall(call);
  }
}
