package dev.colloquy.core.fakes;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A model whose calls follow a script of steps, one per call; the last step repeats. Records each
 * request. Core cannot depend on sdk-test, so this small double lives here.
 */
public final class FakeChatModel implements ChatModel {

  /** What one call does. */
  @FunctionalInterface
  public interface Step {
    ChatResponse run(ChatRequest request, StreamListener stream, Cancellation cancellation);
  }

  private final String modelId;
  private final Deque<Step> steps = new ArrayDeque<>();
  private final List<ChatRequest> requests = new ArrayList<>();
  private Step last;

  public FakeChatModel(String modelId) {
    this.modelId = modelId;
  }

  public static ChatResponse response(
      String modelId, String text, FinishReason finish, TokenUsage usage) {
    return new ChatResponse(AssistantMessage.of(text), finish, usage, modelId);
  }

  public FakeChatModel then(Step step) {
    steps.add(step);
    return this;
  }

  /** Streams the text in two deltas (when it has two characters or more), then returns it. */
  public FakeChatModel thenReply(String text) {
    return thenReply(text, FinishReason.STOP, new TokenUsage(10, 5));
  }

  public FakeChatModel thenReply(String text, FinishReason finish, TokenUsage usage) {
    return then(
        (request, stream, cancellation) -> {
          int half = text.length() / 2;
          if (half > 0) {
            stream.onText(text.substring(0, half));
          }
          stream.onText(text.substring(half));
          return response(modelId, text, finish, usage);
        });
  }

  public FakeChatModel thenFail(RuntimeException failure) {
    return then(
        (request, stream, cancellation) -> {
          throw failure;
        });
  }

  /** Streams one delta, then fails. */
  public FakeChatModel thenStreamAndFail(String delta, RuntimeException failure) {
    return then(
        (request, stream, cancellation) -> {
          stream.onText(delta);
          throw failure;
        });
  }

  public synchronized int calls() {
    return requests.size();
  }

  public synchronized List<ChatRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public ModelCapabilities capabilities() {
    return new ModelCapabilities(4096, true, true, true, true);
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener stream, Cancellation cancellation) {
    Step step;
    synchronized (this) {
      requests.add(request);
      if (!steps.isEmpty()) {
        last = steps.poll();
      }
      step = last;
    }
    if (step == null) {
      throw new IllegalStateException("FakeChatModel '" + modelId + "' has no scripted step");
    }
    cancellation.throwIfCancelled();
    return step.run(request, stream, cancellation);
  }

  @Override
  public String toString() {
    return "Fake(" + modelId + ")";
  }
}
