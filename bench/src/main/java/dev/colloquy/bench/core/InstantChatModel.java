package dev.colloquy.bench.core;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;

/**
 * A backend that answers at once with a fixed reply and keeps nothing, so a benchmark measures the
 * framework and not the test double (the scripted model records every request).
 */
public final class InstantChatModel implements ChatModel {

  private static final ModelCapabilities CAPABILITIES =
      new ModelCapabilities(1 << 20, true, true, true, true);

  private final ChatResponse response;

  /**
   * @param reply the text every call returns
   */
  public InstantChatModel(String reply) {
    response =
        new ChatResponse(
            AssistantMessage.of(reply), FinishReason.STOP, new TokenUsage(40, 8), "instant");
  }

  @Override
  public ModelCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    cancellation.throwIfCancelled();
    listener.onText(response.text());
    return response;
  }
}
