package dev.colloquy.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTest {

  @Test
  void rejectsNullTextNamingTheField() {
    assertThatThrownBy(() -> new UserMessage(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("text");
    assertThatThrownBy(() -> new SystemMessage(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("text");
  }

  @Test
  void rejectsEmptyUserTextAndBlankSystemText() {
    assertThatThrownBy(() -> Message.user(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a user message must not be empty");
    assertThatThrownBy(() -> Message.system("  \n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a system message must not be blank");
  }

  @Test
  void assistantMessageCopiesItsToolCalls() {
    List<ToolCall> calls = new ArrayList<>(List.of(new ToolCall("c1", "lookup", "{}")));
    AssistantMessage message = new AssistantMessage("", calls);
    calls.clear();

    assertThat(message.toolCalls()).hasSize(1);
    assertThat(message.hasToolCalls()).isTrue();
    assertThatThrownBy(() -> message.toolCalls().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsRepeatedToolCallIdsInOneMessage() {
    ToolCall call = new ToolCall("c1", "lookup", "{}");

    assertThatThrownBy(() -> AssistantMessage.ofToolCalls(List.of(call, call)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tool call id 'c1' appears twice in one assistant message");
  }

  @Test
  void rejectsToolNamesOutsideTheProtocolAlphabet() {
    assertThatThrownBy(() -> new ToolCall("c1", "look up", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tool call 'c1' has an invalid tool name 'look up': expected 1 to 64 of A-Z a-z 0-9 _ . -");
    assertThatThrownBy(() -> new ToolCall(" ", "lookup", "{}"))
        .hasMessage("a tool call id must not be blank (tool 'lookup')");
  }

  @Test
  void toolResultsLinkToTheirCall() {
    ToolCall call = new ToolCall("c7", "orderStatus", "{\"orderId\":1}");

    ToolResultMessage ok = ToolResultMessage.of(call, "shipped");
    ToolResultMessage failed = ToolResultMessage.error(call, "no such order");

    assertThat(ok.toolCallId()).isEqualTo("c7");
    assertThat(ok.toolName()).isEqualTo("orderStatus");
    assertThat(ok.error()).isFalse();
    assertThat(failed.error()).isTrue();
    assertThat(failed.role()).isEqualTo(Message.Role.TOOL);
  }
}
