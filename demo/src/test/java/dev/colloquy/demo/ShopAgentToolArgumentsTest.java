package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.test.ScriptedChatModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: through the demo agent, a tool call whose arguments are not valid JSON, not a number
 * the tool takes (a 30-digit id), or not the number the customer wrote never reaches {@link
 * OrderBook}: the customer is asked for the order number instead. A plausible one does.
 */
class ShopAgentToolArgumentsTest {

  private static final String ASK = Phrases.answer(Language.EN, Intent.ASK_ORDER_ID);

  private static Reply turn(String message, String arguments) {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyToolCall("orderStatus", arguments)
            .reply(request -> "answered from " + request.messages().get(3).text())
            .build();
    return ShopAgent.create(model).stream("c", message, StreamListener.NONE);
  }

  private static List<ToolResultMessage> results(Reply reply) {
    return reply.messages().stream()
        .filter(ToolResultMessage.class::isInstance)
        .map(ToolResultMessage.class::cast)
        .toList();
  }

  @Test
  void argumentsThatAreNotJsonNeverReachTheOrderBook() {
    Reply reply = turn("where is order 48213", "[ [ [ {\"orderId\":");
    assertThat(results(reply)).isEmpty();
    assertThat(reply.text()).isEqualTo(ASK);
  }

  @Test
  void aThirtyDigitOrderIdNeverReachesTheOrderBook() {
    Reply reply =
        turn(
            "where is order 482910384756102938475610293847",
            "{\"orderId\":482910384756102938475610293847}");
    assertThat(results(reply)).isEmpty();
    assertThat(reply.text()).isEqualTo(ASK);
  }

  @Test
  void aNumberTheCustomerDidNotWriteIsNeverLookedUp() {
    Reply reply = turn("what's 1234 times 5678", "{\"orderId\":12345}");
    assertThat(results(reply)).isEmpty();
    assertThat(reply.text()).isEqualTo(ASK);
  }

  @Test
  void theNumberTheCustomerWroteIsLookedUp() {
    Reply reply = turn("where is order 48213", "{\"orderId\":48213}");
    assertThat(results(reply))
        .singleElement()
        .satisfies(r -> assertThat(r.error()).isFalse())
        .satisfies(r -> assertThat(r.text()).isEqualTo(new OrderBook().orderStatus(48213)));
    assertThat(reply.text()).startsWith("answered from {\"orderId\":48213,");
  }
}
