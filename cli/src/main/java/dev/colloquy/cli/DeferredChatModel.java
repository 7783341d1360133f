package dev.colloquy.cli;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import java.util.Objects;

/**
 * The model a definition file is compiled against before the real one loads, so that the file's
 * errors show at once instead of after a slow load; {@link #become} hands it the real model.
 * Compiling never calls a model, so nothing reaches it before then.
 */
final class DeferredChatModel implements ChatModel {

  private volatile ChatModel target;

  /** Sets the real model; once. */
  void become(ChatModel model) {
    Objects.requireNonNull(model, "model");
    if (target != null) {
      throw new IllegalStateException("the deferred model was already set to " + target);
    }
    target = model;
  }

  @Override
  public ModelCapabilities capabilities() {
    return target().capabilities();
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    return target().generate(request, listener, cancellation);
  }

  private ChatModel target() {
    ChatModel model = target;
    if (model == null) {
      throw new IllegalStateException("the model is not loaded yet");
    }
    return model;
  }
}
