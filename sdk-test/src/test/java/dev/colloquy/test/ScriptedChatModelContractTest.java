package dev.colloquy.test;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.test.contract.ChatModelContract;
import java.util.List;

class ScriptedChatModelContractTest extends ChatModelContract {

  @Override
  protected ChatModel model() {
    return ScriptedChatModel.builder()
        .whenMessage(
            request -> !request.tools().isEmpty(),
            request ->
                AssistantMessage.ofToolCalls(
                    List.of(new ToolCall("call-1", "get_weather", "{\"city\":\"Paris\"}"))))
        .otherwise(request -> "Once upon a time a keeper kept the light burning all night.")
        .build();
  }
}
