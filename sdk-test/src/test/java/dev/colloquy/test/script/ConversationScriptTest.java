package dev.colloquy.test.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.test.ScriptedChatModel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ConversationScriptTest {

  private static final String SCRIPT =
      """
      # Refunds
      conversation "refund a late order"
      user: I want a refund for order 1001
        expect tool refund {"orderId": 1001}
        expect contains "refund"
        expect not contains "sorry"
      user: as JSON please
        expect json {"orderId": "integer", "status": "string"}
        expect matches /"status": ?"\\w+"/
      """;

  /** A stand-in for an agent with tools: the first turn calls refund, the second answers JSON. */
  private static ConversationTarget refundDesk() {
    return (conversationId, text) -> {
      if (text.contains("JSON")) {
        return reply(text, "{\"orderId\": 1001, \"status\": \"refunded\"}", List.of());
      }
      ToolCall call = new ToolCall("call-1", "refund", "{\"orderId\": 1001, \"reason\": \"late\"}");
      return reply(text, "Your refund is on its way.", List.of(call));
    };
  }

  private static Reply reply(String user, String text, List<ToolCall> calls) {
    List<Message> messages =
        calls.isEmpty()
            ? List.of(Message.user(user), Message.assistant(text))
            : List.of(
                Message.user(user), AssistantMessage.ofToolCalls(calls), Message.assistant(text));
    return new Reply(text, messages, FinishReason.STOP, TokenUsage.ZERO, "m");
  }

  @TestFactory
  Stream<DynamicTest> aScriptRunsAsOneDynamicTestPerConversation() {
    ConversationScript script = ConversationScript.parse("refunds.chat", SCRIPT);

    assertThat(script.conversationNames()).containsExactly("refund a late order");
    return script.dynamicTests(refundDesk());
  }

  @Test
  void anUnmetExpectationFailsAtItsLineWithTheReply() {
    ConversationScript script =
        ConversationScript.parse(
            "hours.chat",
            """
        conversation "opening hours"
        user: When are you open?
          expect contains "9 to 5"
        """);
    Agent agent =
        Agent.builder().model(ScriptedChatModel.alwaysReplying("We never close.")).build();

    assertThatThrownBy(() -> script.run("opening hours", ConversationTarget.of(agent)))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage(
            """
            hours.chat:3:3: expected the reply to contain "9 to 5" after "When are you open?"
                expect contains "9 to 5"
                ^
            but the reply was
              "We never close.\"""");
  }

  @Test
  void aToolExpectationShowsTheCallsThatWereMade() {
    ConversationScript script =
        ConversationScript.parse(
            "t.chat",
            """
        conversation "c"
        user: refund 1001
        expect tool refund {"orderId": 1002}
        """);

    assertThatThrownBy(() -> script.run("c", refundDesk()))
        .hasMessage(
            """
            t.chat:3:1: expected a call of tool 'refund' with arguments {"orderId":1002} after "refund 1001"
              expect tool refund {"orderId": 1002}
              ^
            but the turn called:
              refund {"orderId": 1001, "reason": "late"}""");
  }

  @Test
  void anUnknownExpectationIsReportedLikeACompilerError() {
    assertThatThrownBy(
            () ->
                ConversationScript.parse(
                    "refunds.chat", "conversation \"a\"\nuser: hi\n  expect containz \"x\"\n"))
        .isInstanceOf(ScriptException.class)
        .hasMessage(
            """
            refunds.chat:3:10: unknown expectation 'containz'
                expect containz "x"
                       ^
            expected one of: contains, not contains, matches, tool, json""");
  }

  @Test
  void badJsonPointsAtTheColumnJacksonStoppedAt() {
    assertThatThrownBy(
            () ->
                ConversationScript.parse(
                    "t.chat", "conversation \"a\"\nuser: hi\nexpect tool refund {\"orderId\": }\n"))
        .hasMessageStartingWith("t.chat:3:32: invalid JSON: Unexpected character ('}' (code 125))")
        .hasMessageEndingWith(
            """
              expect tool refund {"orderId": }
                                             ^
            expected one JSON value to the end of the line""");
  }

  @Test
  void otherMistakesNameWhatWasExpected() {
    assertThatThrownBy(() -> ConversationScript.parse("t.chat", "user: hi\n"))
        .hasMessage(
            "t.chat:1:1: a user turn outside a conversation\n  user: hi\n  ^\nexpected first: conversation \"<name>\"");
    assertThatThrownBy(() -> ConversationScript.parse("t.chat", "conversation \"a\nuser: hi\n"))
        .hasMessage(
            "t.chat:1:16: unterminated text\n  conversation \"a\n                 ^\n"
                + "expected a closing quote \" before the end of the line");
    assertThatThrownBy(
            () ->
                ConversationScript.parse(
                    "t.chat", "conversation \"a\"\nuser: hi\nexpect matches /(/\n"))
        .hasMessage(
            "t.chat:3:18: invalid regular expression: Unclosed group\n  expect matches /(/\n"
                + "                   ^\nexpected a java.util.regex pattern");
    assertThatThrownBy(() -> ConversationScript.parse("t.chat", "conversation \"empty\"\n"))
        .hasMessage(
            "t.chat:1:1: conversation \"empty\" has no user turn\nexpected at least one line: user: <what the user says>");
  }

  @Test
  void randomAndDeeplyNestedInputFailsOnlyWithScriptException() {
    Random random = new Random(7);
    String alphabet =
        "conversation user: expect tool json matches contains not \"\\/{}[]:,0123 \n#";
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder("conversation \"f\"\nuser: x\n");
      for (int j = random.nextInt(80); j > 0; j--) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertParsesOrFailsCleanly(s.toString());
    }
    assertParsesOrFailsCleanly("conversation \"f\"\nuser: x\nexpect json " + "[".repeat(100_000));
    assertParsesOrFailsCleanly(
        "conversation \"f\"\nuser: x\nexpect matches /" + "(".repeat(50_000) + "/");
  }

  private static void assertParsesOrFailsCleanly(String source) {
    try {
      ConversationScript.parse("fuzz.chat", source);
    } catch (ScriptException expected) {
      assertThat(expected.getMessage()).startsWith("fuzz.chat:");
    }
  }

  @Test
  void anAgentThatExpectsVariablesIsDrivenWithTheVariablesOfTheTarget() {
    ConversationScript script =
        ConversationScript.parse(
            "greeting.chat",
            """
        conversation "greets by name"
        user: Hello
          expect contains "Ada"
        """);
    Agent agent =
        Agent.builder()
            .model(
                ScriptedChatModel.builder()
                    .otherwise(request -> "Hello " + request.messages().get(0).text())
                    .build())
            .system("{{customer}}")
            .expectVariables("customer")
            .build();

    script.run("greets by name", ConversationTarget.of(agent, Map.of("customer", "Ada")));
    assertThatThrownBy(() -> script.run("greets by name", ConversationTarget.of(agent)))
        .hasMessageContaining("customer");
  }
}
