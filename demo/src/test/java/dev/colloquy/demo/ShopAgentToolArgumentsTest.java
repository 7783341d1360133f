package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.test.ScriptedChatModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: a tool call whose arguments are not valid JSON, or not a number the tool takes (a
 * 30-digit id), never reaches {@link OrderBook}; the model gets an error result instead.
 */
class ShopAgentToolArgumentsTest {

  private static List<ToolResultMessage> results(String arguments) {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyToolCall("orderStatus", arguments)
            .reply("Which order do you mean? Please send me your five-digit order number.")
            .build();
    Reply reply = ShopAgent.create(model).stream("c", "where is my order", StreamListener.NONE);
    return reply.messages().stream()
        .filter(ToolResultMessage.class::isInstance)
        .map(ToolResultMessage.class::cast)
        .toList();
  }

  @Test
  void argumentsThatAreNotJsonNeverReachTheOrderBook() {
    assertThat(results("[ [ [ {\"orderId\":"))
        .singleElement()
        .satisfies(r -> assertThat(r.error()).isTrue())
        .satisfies(r -> assertThat(r.text()).doesNotContain("no such order", "status"));
  }

  @Test
  void aThirtyDigitOrderIdNeverReachesTheOrderBook() {
    assertThat(results("{\"orderId\":482910384756102938475610293847}"))
        .singleElement()
        .satisfies(r -> assertThat(r.error()).isTrue())
        .satisfies(r -> assertThat(r.text()).doesNotContain("no such order", "status"));
  }
}
