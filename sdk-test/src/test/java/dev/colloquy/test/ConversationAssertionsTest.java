package dev.colloquy.test;

import static dev.colloquy.test.ColloquyAssertions.assertThat;
import static dev.colloquy.test.ColloquyAssertions.assertThatConversation;
import static dev.colloquy.test.ColloquyAssertions.assertThatMemory;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ResponseFormat;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.model.ToolChoice;
import dev.colloquy.core.model.ToolSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationAssertionsTest {

  private static final ToolCall REFUND =
      new ToolCall("call-1", "refund", "{\"orderId\": 1001, \"reason\": \"late\"}");

  private static Reply refundTurn() {
    return new Reply(
        "Refunded.",
        List.of(
            Message.user("refund 1001"),
            AssistantMessage.ofToolCalls(List.of(REFUND)),
            ToolResultMessage.of(REFUND, "{\"status\":\"refunded\"}"),
            Message.assistant("Refunded.")),
        FinishReason.STOP,
        new TokenUsage(40, 9),
        "scripted");
  }

  @Test
  void calledToolChecksArgumentsByValueAndTheToolsResult() {
    assertThat(refundTurn())
        .calledTool("refund")
        .withArgument("orderId", 1001)
        .withArgument("orderId", 1001.0)
        .withArguments("{\"reason\":\"late\",\"orderId\":1001}")
        .withoutArgument("amount")
        .withResultContaining("refunded");
  }

  @Test
  void aWrongArgumentFailsNamingTheToolTheArgumentAndAllArguments() {
    assertThatThrownBy(
            () -> assertThat(refundTurn()).calledTool("refund").withArgument("orderId", 1002))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "Expected tool 'refund' to be called with argument orderId = 1002\n"
                + "but orderId was 1001; its arguments were\n  {\"orderId\": 1001, \"reason\": \"late\"}");
  }

  @Test
  void aToolNeverCalledFailsListingTheCallsAndTheTurn() {
    assertThatThrownBy(() -> assertThat(refundTurn()).calledTool("cancel"))
        .hasMessage(
            """
            Expected the turn to call tool 'cancel' but it called [refund]:
              user: refund 1001
              assistant:  [call refund#call-1 {"orderId": 1001, "reason": "late"}]
              tool: [refund#call-1] {"status":"refunded"}
              assistant: Refunded.""");
  }

  @Test
  void replyAssertionsCoverTextUsageAndJsonShape() {
    Reply json =
        new Reply(
            "{\"orderId\": 7, \"items\": [\"book\"]}",
            List.of(),
            FinishReason.STOP,
            new TokenUsage(10, 5),
            "m");

    assertThat(json)
        .hasJsonShape("{\"orderId\": \"integer\", \"items\": [\"string\"]}")
        .hasUsage(10, 5)
        .usedAtMostTokens(15)
        .hasTextMatching("\"orderId\": \\d+");
    assertThatThrownBy(() -> assertThat(json).hasJsonShape("{\"orderId\": \"string\"}"))
        .hasMessage(
            "Expected the reply to be JSON of shape\n  {\"orderId\": \"string\"}\n"
                + "but $.orderId is 7, not a string; the reply was\n  \"{\"orderId\": 7, \"items\": [\"book\"]}\"");
    assertThatThrownBy(() -> assertThat(json).usedAtMostTokens(12))
        .hasMessage(
            "Expected the turn to use at most 12 tokens but it used 15 (10 input, 5 output)");
  }

  @Test
  void memoryAssertionsShowTheConversationWhenTheyFail() {
    Agent agent = Agent.builder().model(ScriptedChatModel.alwaysReplying("Hello Ada")).build();
    agent.chat("c1", "I am Ada");

    assertThatMemory(agent.memory(), "c1")
        .hasRoles(Message.Role.USER, Message.Role.ASSISTANT)
        .hasLastAssistantText("Hello Ada")
        .calledNoTools();
    assertThatThrownBy(() -> assertThatMemory(agent.memory(), "c1").doesNotContainText("Ada"))
        .hasMessage(
            "Expected memory of conversation 'c1' not to contain\n  \"Ada\"\nbut a user message does:\n"
                + "  user: I am Ada\n  assistant: Hello Ada");
    assertThatThrownBy(() -> assertThatMemory(agent.memory(), "c2").hasSize(2))
        .hasMessage("Expected memory of conversation 'c2' to hold 2 messages but it holds 0:\n");
  }

  @Test
  void requestAssertionsCoverToolsOffersAndOptions() {
    ChatRequest request =
        new ChatRequest(
            List.of(Message.system("You refund."), Message.user("hi")),
            List.of(
                ToolSpecification.withoutParameters("refund", "Refunds"),
                ToolSpecification.withoutParameters("lookup", "")),
            ChatOptions.builder()
                .maxTokens(64)
                .seed(7)
                .responseFormat(ResponseFormat.json())
                .toolChoice(ToolChoice.tool("refund"))
                .stop("END")
                .build());

    assertThat(request)
        .offersExactlyTools("lookup", "refund")
        .hasMaxTokens(64)
        .hasSeed(7)
        .hasResponseFormat(ResponseFormat.json())
        .hasToolChoice(ToolChoice.tool("refund"))
        .hasStopSequences("END")
        .messages()
        .containsMessage(Message.Role.SYSTEM, "refund");
    assertThatThrownBy(() -> assertThat(request).offersExactlyTools("refund"))
        .hasMessage(
            "Expected the tools [refund] to be offered but the request offered [lookup, refund]");
    assertThatThrownBy(() -> assertThat(request).offersToolWithParameter("refund", "orderId"))
        .hasMessage(
            "Expected tool 'refund' to take parameter 'orderId' but its schema was\n"
                + "  {\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");
  }

  @Test
  void transcriptAssertionsSeeEveryCallOfACapturedModel() {
    CapturingChatModel model =
        CapturingChatModel.of(
            ScriptedChatModel.builder()
                .reply(ScriptedReply.toolCall("refund", "{\"orderId\":1001}"))
                .reply("done")
                .build(),
            "support");
    model.chat(ChatRequest.of(Message.user("refund 1001")));
    model.chat(ChatRequest.of(Message.user("thanks")));

    assertThat(model.transcript())
        .hasCallCount(2)
        .usedAtMostTokens(10)
        .calledTool("refund")
        .withArgument("orderId", 1001);
    assertThat(model.transcript()).lastRequest().hasLastUserText("thanks");
    assertThatConversation(model.transcript().lastConversation()).hasTexts("thanks", "done");
  }
}
