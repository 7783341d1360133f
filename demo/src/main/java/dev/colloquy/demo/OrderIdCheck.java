package dev.colloquy.demo;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.UserMessage;
import dev.colloquy.core.tool.ToolCallCheck;
import dev.colloquy.core.tool.ToolCallDecision;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo agent's rule for lookups (issue 19): the shop looks up an order only when the customer's
 * message holds exactly one plausible order number (five digits, not starting with 0, standing
 * alone rather than inside a longer number or a decimal) and the model asks for that very number.
 * Anything else (no number, a number of the wrong length, two numbers, a number the model made up
 * or miscopied, arguments that are not the tool's JSON) is answered by asking for the order number,
 * in the customer's language, and nothing is looked up.
 *
 * <p>The model was trained on exactly this: every lookup in its data takes the number of the
 * message it answers. The check only keeps a small model's slips from becoming a confident report
 * on an order nobody asked about.
 */
final class OrderIdCheck {

  /** A whole number: a run of digits not joined to other digits by a decimal point or comma. */
  private static final Pattern NUMBER =
      Pattern.compile("(?<![0-9])(?<![0-9][.,])[0-9]+(?![0-9])(?![.,][0-9])");

  private static final Pattern CALL = Pattern.compile("\\{\"orderId\":([1-9][0-9]{4})\\}");

  static final ToolCallCheck CHECK = ToolCallCheck.of("plausible-order-id", OrderIdCheck::decide);

  private OrderIdCheck() {}

  static ToolCallDecision decide(ToolCallCheck.Round round) {
    List<ToolCall> calls = round.calls();
    Set<Integer> ids = orderIds(round.userText());
    String why;
    if (ids.size() != 1) {
      why =
          ids.isEmpty()
              ? "the message holds no five-digit order number"
              : "the message holds " + ids.size() + " order numbers";
    } else if (calls.size() != 1) {
      why = "the model asked for " + calls.size() + " calls, the shop makes one lookup";
    } else if (!asks(calls.get(0), ids.iterator().next())) {
      why = "the call is not a lookup of the message's order number";
    } else {
      return ToolCallDecision.run();
    }
    List<Message> conversation = new ArrayList<>(round.history());
    conversation.add(new UserMessage(round.userText()));
    Language language = CustomerLanguage.of(conversation);
    return ToolCallDecision.answer(Phrases.answer(language, Intent.ASK_ORDER_ID), why);
  }

  /** The plausible order numbers a message holds, in order of appearance. */
  static Set<Integer> orderIds(String text) {
    Set<Integer> ids = new LinkedHashSet<>();
    Matcher number = NUMBER.matcher(text);
    while (number.find()) {
      String digits = number.group();
      if (digits.length() == 5 && digits.charAt(0) != '0') {
        ids.add(Integer.parseInt(digits));
      }
    }
    return ids;
  }

  private static boolean asks(ToolCall call, int orderId) {
    Matcher arguments = CALL.matcher(call.arguments().replaceAll("\\s", ""));
    return call.name().equals("orderStatus")
        && arguments.matches()
        && Integer.parseInt(arguments.group(1)) == orderId;
  }
}
