package dev.colloquy.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.TokenUsage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageCodecTest {

  @Test
  void everyKindRoundTrips() {
    List<Message> messages =
        List.of(
            Message.system("be brief \u0000 \"q\""),
            Message.user("订单 😀\n"),
            new AssistantMessage("t", List.of(new ToolCall("c1", "f", "{\"a\":1}"))),
            new ToolResultMessage("c1", "f", "boom", true),
            Message.assistant(""));
    for (Message m : messages) {
      String json = MessageCodec.write(m);
      assertThat(json).doesNotContain("\n");
      assertThat(MessageCodec.read(json)).isEqualTo(m);
    }
  }

  @Test
  void aTurnRecordRoundTrips() {
    TurnRecord record =
        new TurnRecord("acme", "m-1", new TokenUsage(5, 7), Instant.parse("2026-01-01T00:00:00Z"));

    assertThat(MessageCodec.readTurn(MessageCodec.write(record))).isEqualTo(record);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "{\"kind\":\"robot\",\"text\":\"x\"}|unknown message kind 'robot'",
        "{\"kind\":\"user\"}|field 'text' is missing or not a string",
        "{\"kind\":\"user\",\"text\":5}|field 'text' is missing or not a string",
        "{\"kind\":\"tool\",\"toolCallId\":\"c\",\"toolName\":\"f\",\"text\":\"\"}|field 'error'",
        "{\"kind\":\"assistant\",\"text\":\"\",\"toolCalls\":{}}|'toolCalls' must be an array",
        "{\"kind\":\"user\",\"text\":|broken JSON at line 1",
        "[1,2]|expected a JSON object",
        "{\"text\":\"x\"}|field 'kind' is missing",
        "{\"kind\":\"user\",\"text\":\"\"}|must not be empty",
      })
  void badRowsSayWhatIsWrong(String json, String problem) {
    assertThatThrownBy(() -> MessageCodec.read(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void aBadTurnRecordSaysWhichField() {
    assertThatThrownBy(
            () ->
                MessageCodec.readTurn(
                    "{\"tenant\":\"a\",\"modelId\":\"\",\"inputTokens\":1,\"outputTokens\":2,"
                        + "\"committedAt\":\"yesterday\"}"))
        .hasMessageContaining("'committedAt'");
    assertThatThrownBy(() -> MessageCodec.readTurn("{\"tenant\":\"a\"}"))
        .hasMessageContaining("'modelId'");
  }
}
