package dev.colloquy.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

  @Test
  void needsAtLeastOneMessage() {
    assertThatThrownBy(() -> ChatRequest.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a chat request needs at least one message");
  }

  @Test
  void rejectsAToolResultWithoutAnEarlierCall() {
    ToolCall call = new ToolCall("c1", "lookup", "{}");

    assertThatThrownBy(() -> ChatRequest.of(Message.user("hi"), ToolResultMessage.of(call, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "messages[1] is a tool result for call id 'c1', but no earlier assistant message made that call");
  }

  @Test
  void acceptsAToolResultAfterItsCall() {
    ToolCall call = new ToolCall("c1", "lookup", "{}");

    ChatRequest request =
        ChatRequest.of(
            Message.user("hi"),
            AssistantMessage.ofToolCalls(List.of(call)),
            ToolResultMessage.of(call, "x"));

    assertThat(request.messages()).hasSize(3);
    assertThat(request.lastUserText()).isEqualTo("hi");
  }

  @Test
  void rejectsATwiceOfferedTool() {
    ToolSpecification tool = ToolSpecification.withoutParameters("lookup", "");

    assertThatThrownBy(
            () ->
                new ChatRequest(
                    List.of(Message.user("hi")), List.of(tool, tool), ChatOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tool 'lookup' is offered twice");
  }

  @Test
  void toolSpecificationsWithTheSameSchemaInAnotherMemberOrderAreEqual() {
    ToolSpecification tool =
        new ToolSpecification(
            "lookup", "finds things", JsonSchema.parse("{\"type\":\"object\",\"required\":[]}"));
    ToolSpecification same =
        new ToolSpecification(
            "lookup", "finds things", JsonSchema.parse("{\"required\":[],\"type\":\"object\"}"));

    assertThat(tool).isEqualTo(same).hasSameHashCodeAs(same);
  }

  @Test
  void toolSpecificationWithoutParametersOffersAnEmptyClosedObject() {
    assertThat(ToolSpecification.withoutParameters("clock", "").parameters().toJson())
        .isEqualTo("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");
  }

  @Test
  void toolSpecificationRejectsANonObjectSchema() {
    JsonSchema schema = JsonSchema.parse("{\"type\": \"array\"}");

    assertThatThrownBy(() -> new ToolSpecification("lookup", "", schema))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tool 'lookup': the parameters schema must have type 'object', was \"array\"");
  }

  @Test
  void tokenUsageAddsAndRejectsNegatives() {
    assertThat(new TokenUsage(3, 4).plus(new TokenUsage(1, 2))).isEqualTo(new TokenUsage(4, 6));
    assertThat(new TokenUsage(3, 4).totalTokens()).isEqualTo(7);
    assertThatThrownBy(() -> new TokenUsage(-1, 0))
        .hasMessage("token counts must not be negative: input=-1, output=0");
  }
}
