package dev.colloquy.model.remote;

import static dev.colloquy.model.remote.FakeOpenAiServer.DONE;
import static dev.colloquy.model.remote.FakeOpenAiServer.finish;
import static dev.colloquy.model.remote.FakeOpenAiServer.sse;
import static dev.colloquy.model.remote.FakeOpenAiServer.status;
import static dev.colloquy.model.remote.FakeOpenAiServer.toolDeltas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.StreamListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiToolCallTest {

  private final FakeOpenAiServer server = FakeOpenAiServer.start();
  private final OpenAiChatModel model = server.model(new RecordingSleeper()).build();
  private final List<ToolCall> announced = new ArrayList<>();
  private final StreamListener listener =
      new StreamListener() {
        @Override
        public void onText(String delta) {}

        @Override
        public void onToolCall(ToolCall call) {
          announced.add(call);
        }
      };

  @AfterEach
  void stopServer() {
    server.close();
  }

  private ChatResponse stream(String... chunks) {
    server.enqueue(sse(chunks));
    return model.generate(ChatRequest.of(Message.user("weather?")), listener, Cancellation.none());
  }

  private static String delta(int index, String id, String name, String arguments) {
    StringBuilder s = new StringBuilder("{\"index\":").append(index);
    if (id != null) {
      s.append(",\"id\":\"").append(id).append('"');
    }
    s.append(",\"type\":\"function\",\"function\":{");
    if (name != null) {
      s.append("\"name\":\"").append(name).append("\",");
    }
    return s.append("\"arguments\":")
        .append(FakeOpenAiServer.quote(arguments))
        .append("}}")
        .toString();
  }

  @Test
  void streamsToolCallArgumentsSplitAcrossEvents() {
    ChatResponse response =
        stream(
            toolDeltas(delta(0, "call_a", "get_weather", "")),
            toolDeltas(delta(0, null, null, "{\"ci")),
            toolDeltas(delta(0, null, null, "ty\":\"Par")),
            toolDeltas(delta(0, null, null, "is\"}")),
            finish("tool_calls"),
            DONE);

    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(announced).isEqualTo(response.message().toolCalls());
  }

  @Test
  void assemblesTwoInterleavedCallsByIndex() {
    ChatResponse response =
        stream(
            toolDeltas(delta(0, "call_a", "get_weather", "{\"city\":")),
            toolDeltas(delta(1, "call_b", "get_time", "{\"zone\":")),
            toolDeltas(delta(0, null, null, "\"Oslo\"}"), delta(1, null, null, "\"UTC\"}")),
            finish("tool_calls"),
            DONE);

    assertThat(response.message().toolCalls())
        .containsExactly(
            new ToolCall("call_a", "get_weather", "{\"city\":\"Oslo\"}"),
            new ToolCall("call_b", "get_time", "{\"zone\":\"UTC\"}"));
  }

  @Test
  void toleratesEmptyRepeatedAndMissingIdsOnContinuationChunks() {
    ChatResponse response =
        stream(
            toolDeltas(delta(0, "call_a", "f", "[1")),
            toolDeltas(delta(0, "", null, ",2")),
            toolDeltas(delta(0, "call_a", null, ",3")),
            toolDeltas(delta(0, null, null, "]")),
            finish("tool_calls"),
            DONE);

    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("call_a", "f", "[1,2,3]"));
  }

  @Test
  void makesUpStableIdsWhenTheServerSendsNone() {
    ChatResponse response =
        stream(
            toolDeltas(delta(0, null, "f", "{}"), delta(1, null, "g", "{}")),
            finish("tool_calls"),
            DONE);

    assertThat(response.message().toolCalls())
        .extracting(ToolCall::id)
        .containsExactly("call_0", "call_1");
  }

  @Test
  void acceptsAnEmptyTypeAndANameOnlyInTheFirstChunk() {
    ChatResponse response =
        stream(
            toolDeltas(
                "{\"index\":0,\"id\":\"c\",\"type\":\"\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}"),
            toolDeltas("{\"index\":0,\"type\":\"\",\"function\":{\"arguments\":\":1}\"}}"),
            finish("tool_calls"),
            DONE);

    assertThat(response.message().toolCalls()).containsExactly(new ToolCall("c", "f", "{\"a\":1}"));
  }

  @Test
  void continuesCallsByIdWhenTheServerOmitsTheIndex() {
    ChatResponse response =
        stream(
            toolDeltas("{\"id\":\"x\",\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}"),
            toolDeltas("{\"function\":{\"arguments\":\"}\"}}"),
            toolDeltas("{\"id\":\"y\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}"),
            finish("tool_calls"),
            DONE);

    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("x", "f", "{}"), new ToolCall("y", "g", "{}"));
  }

  @Test
  void keepsArgumentsThatAreNotValidJsonVerbatimForTheToolLoopToReport() {
    ChatResponse response =
        stream(toolDeltas(delta(0, "c", "f", "{\"city\": \"Par")), finish("tool_calls"), DONE);

    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("c", "f", "{\"city\": \"Par"));
  }

  @Test
  void turnsEmptyArgumentsIntoAnEmptyObject() {
    ChatResponse response =
        stream(toolDeltas(delta(0, "c", "now", "")), finish("tool_calls"), DONE);

    assertThat(response.message().toolCalls().get(0).arguments()).isEqualTo("{}");
  }

  @Test
  void reportsAToolCallWithoutANameAsAProtocolError() {
    assertThatThrownBy(
            () -> stream(toolDeltas(delta(0, "c", null, "{}")), finish("tool_calls"), DONE))
        .isInstanceOf(RemoteProtocolException.class)
        .hasMessageContaining("tool call 0");
  }

  @Test
  void callsItToolCallsWhenAServerSaysStopForAReplyWithTools() {
    assertThat(stream(toolDeltas(delta(0, "c", "f", "{}")), finish("stop"), DONE).finishReason())
        .isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void readsSeveralToolCallsFromABlockingResponseIncludingOllamasObjectArguments() {
    server.enqueue(
        status(
            200,
            "{\"model\":\"m\",\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\","
                + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
                + "{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":1}\"}},"
                + "{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":{\"y\":2}}}]}}]}"));

    ChatResponse response = model.chat(ChatRequest.of(Message.user("go")));

    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("a", "f", "{\"x\":1}"), new ToolCall("b", "g", "{\"y\":2}"));
    assertThat(response.text()).isEmpty();
  }
}
