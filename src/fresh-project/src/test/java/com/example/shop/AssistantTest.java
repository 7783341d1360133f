package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.message.Message;
import dev.colloquy.test.ScriptedChatModel;
import org.junit.jupiter.api.Test;

class AssistantTest {

  @Test
  void remembersTheConversationAndCallsTheTool() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .otherwise(request -> "You said: " + request.lastUserText())
            .build();
    Agent agent = Assistant.on(model);

    agent.chat("ada", "Hi, I'm Ada.");
    String second = agent.chat("ada", "What's my name?");

    assertThat(second).isEqualTo("You said: What's my name?");
    assertThat(agent.memory().messages("ada"))
        .extracting(Message::text)
        .containsExactly("Hi, I'm Ada.", "You said: Hi, I'm Ada.", "What's my name?", second);
  }

  @Test
  void theToolAnswersThroughTheAgent() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyToolCall("orderStatus", "{\"orderId\":10234}")
            .reply(request -> "Your order is " + request.messages().get(request.messages().size() - 1).text())
            .build();

    String answer = Assistant.on(model).chat("bob", "Where is order 10234?");

    assertThat(answer).isEqualTo("Your order is shipped");
  }
}
