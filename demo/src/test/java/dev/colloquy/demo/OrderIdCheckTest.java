package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.tool.ToolCallCheck;
import dev.colloquy.core.tool.ToolCallDecision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 19: the demo agent looks an order up only for the one plausible number the customer wrote.
 */
class OrderIdCheckTest {

  private static List<ToolCall> lookup(String arguments) {
    return List.of(new ToolCall("call-1", "orderStatus", arguments));
  }

  private static ToolCallDecision decide(String text, String arguments) {
    return OrderIdCheck.decide(new ToolCallCheck.Round(text, List.of(), lookup(arguments)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "where is order 48213?|{\"orderId\":48213}",
        "order #48213 pls|{ \"orderId\" : 48213 }",
        "我的订单48213到哪了|{\"orderId\":48213}",
        "48213, shipped yet? I paid 25.50 for it|{\"orderId\":48213}",
        "order 48213 again, order 48213!|{\"orderId\":48213}"
      })
  void aLookupOfTheOneNumberTheCustomerWroteRuns(String text, String arguments) {
    assertThat(decide(text, arguments)).isEqualTo(ToolCallDecision.run());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "where is my order?|{\"orderId\":48213}|no five-digit",
        "order 4821 please|{\"orderId\":48210}|no five-digit",
        "order 482130 please|{\"orderId\":48213}|no five-digit",
        "order 00000|{\"orderId\":0}|no five-digit",
        "order 04821|{\"orderId\":4821}|no five-digit",
        "order 482910384756102938475610293847|{\"orderId\":48291}|no five-digit",
        "it costs 12345.50 dollars|{\"orderId\":12345}|no five-digit",
        "pi is 3.14159|{\"orderId\":14159}|no five-digit",
        "orders 48213 and 59314|{\"orderId\":48213}|2 order numbers",
        "where is order 48213?|{\"orderId\":48231}|not a lookup of the message's",
        "where is order 48213?|{\"orderId\":\"48213\"}|not a lookup of the message's",
        "where is order 48213?|{\"orderId\":48213} DROP TABLE|not a lookup of the message's",
        "where is order 48213?|[[{\"orderId\":|not a lookup of the message's"
      })
  void anyOtherCallIsAnsweredByAskingForTheNumber(String text, String arguments, String why) {
    assertThat(decide(text, arguments))
        .isInstanceOfSatisfying(
            ToolCallDecision.Answer.class,
            answer -> {
              assertThat(answer.text()).isEqualTo(Phrases.answer(Language.EN, Intent.ASK_ORDER_ID));
              assertThat(answer.reason()).contains(why);
            });
  }

  @Test
  void twoLookupsOrAnotherToolAreAnsweredToo() {
    String text = "order 48213";
    assertThat(
            OrderIdCheck.decide(
                new ToolCallCheck.Round(
                    text,
                    List.of(),
                    List.of(
                        new ToolCall("a", "orderStatus", "{\"orderId\":48213}"),
                        new ToolCall("b", "orderStatus", "{\"orderId\":48213}")))))
        .isInstanceOf(ToolCallDecision.Answer.class);
    assertThat(
            OrderIdCheck.decide(
                new ToolCallCheck.Round(
                    text, List.of(), List.of(new ToolCall("a", "refund", "{\"orderId\":48213}")))))
        .isInstanceOf(ToolCallDecision.Answer.class);
  }

  @Test
  void theAnswerIsInTheCustomersLanguageAndTheReasonHoldsNoValue() {
    ToolCallDecision chinese = decide("12345加54321等于多少", "{\"orderId\":12345}");
    assertThat(chinese)
        .isInstanceOfSatisfying(
            ToolCallDecision.Answer.class,
            answer -> {
              assertThat(answer.text()).isEqualTo(Phrases.answer(Language.ZH, Intent.ASK_ORDER_ID));
              assertThat(answer.reason()).doesNotContain("12345", "54321");
            });
  }

  @Test
  void aMessageOfDigitsAloneIsAnsweredInTheConversationsLanguage() {
    List<Message> chinese =
        List.of(
            Message.user("我的订单到哪了？"),
            Message.assistant(Phrases.answer(Language.ZH, Intent.ASK_ORDER_ID)));
    assertThat(
            OrderIdCheck.decide(
                new ToolCallCheck.Round("1234", chinese, lookup("{\"orderId\":12340}"))))
        .isEqualTo(
            ToolCallDecision.answer(
                Phrases.answer(Language.ZH, Intent.ASK_ORDER_ID),
                "the message holds no five-digit order number"));
    assertThat(
            OrderIdCheck.decide(
                new ToolCallCheck.Round("order 1234", chinese, lookup("{\"orderId\":12340}"))))
        .isInstanceOfSatisfying(
            ToolCallDecision.Answer.class,
            answer ->
                assertThat(answer.text())
                    .isEqualTo(Phrases.answer(Language.EN, Intent.ASK_ORDER_ID)));
  }
}
