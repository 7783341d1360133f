package dev.colloquy.model.local.internal.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.message.ToolCall;
import dev.colloquy.model.local.ToolCallSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NativeToolCallStreamTest {

  /** What a reply should come to: its text, its calls as name + arguments, its warning count. */
  record Expected(String text, List<String> calls, int warnings) {}

  record Outcome(
      String streamedText,
      String text,
      List<String> calls,
      List<String> ids,
      List<String> warnings) {}

  static Outcome run(ToolCallSyntax syntax, List<String> chunks) {
    StringBuilder streamed = new StringBuilder();
    List<ToolCall> sunk = new ArrayList<>();
    NativeToolCallStream stream = new NativeToolCallStream(syntax, 1, streamed::append, sunk::add);
    chunks.forEach(stream::accept);
    stream.finish();
    assertThat(sunk).isEqualTo(stream.calls());
    return new Outcome(
        streamed.toString(),
        stream.text(),
        stream.calls().stream().map(call -> call.name() + " " + call.arguments()).toList(),
        stream.calls().stream().map(ToolCall::id).toList(),
        stream.warnings());
  }

  static final String WEATHER_ARGS = "{\"city\": \"Paris\", \"unit\": \"celsius\"}";

  static Stream<Arguments> replies() {
    return Stream.of(
        // Qwen / Hermes
        Arguments.of(
            ToolCallSyntax.HERMES,
            "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": "
                + WEATHER_ARGS
                + "}\n</tool_call>",
            new Expected("Let me check.", List.of("get_weather " + WEATHER_ARGS), 0)),
        Arguments.of(
            ToolCallSyntax.HERMES,
            "<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>\n<tool_call>\n"
                + "{\"name\": \"b\", \"arguments\": {\"x\": [1, \"]}\"]}}\n</tool_call>\nDone.",
            new Expected("Done.", List.of("a {}", "b {\"x\": [1, \"]}\"]}"), 0)),
        Arguments.of(
            ToolCallSyntax.HERMES,
            "<tool_call>{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1}\"}</tool_call>",
            new Expected("", List.of("f {\"a\": 1}"), 0)),
        Arguments.of(
            ToolCallSyntax.HERMES,
            "<tool_call>{\"name\": \"f\", \"arguments\": {</tool_call>after",
            new Expected("after", List.of(), 1)),
        Arguments.of(
            ToolCallSyntax.HERMES,
            "Sure <tool_call>{\"name\": \"f\"",
            new Expected("Sure", List.of(), 2)),
        Arguments.of(
            ToolCallSyntax.HERMES,
            "a <tool> b <tool_cal c",
            new Expected("a <tool> b <tool_cal c", List.of(), 0)),
        Arguments.of(
            ToolCallSyntax.HERMES,
            "<tool_call>{\"name\": \"bad name!\", \"arguments\": {}}</tool_call>",
            new Expected("", List.of(), 1)),
        Arguments.of(
            ToolCallSyntax.HERMES,
            "<tool_call>{\"name\": \"f\", \"arguments\": {\"a\": 1, \"a\": 2}}</tool_call>",
            new Expected("", List.of("f {\"a\": 1, \"a\": 2}"), 1)),
        // Llama 3.1+
        Arguments.of(
            ToolCallSyntax.LLAMA_JSON,
            "{\"name\": \"get_weather\", \"parameters\": " + WEATHER_ARGS + "}",
            new Expected("", List.of("get_weather " + WEATHER_ARGS), 0)),
        Arguments.of(
            ToolCallSyntax.LLAMA_JSON,
            "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": " + WEATHER_ARGS + "}",
            new Expected("", List.of("get_weather " + WEATHER_ARGS), 0)),
        Arguments.of(
            ToolCallSyntax.LLAMA_JSON,
            "{\"name\": \"a\", \"parameters\": {}}; {\"name\": \"b\", \"parameters\": {\"n\": 2}}",
            new Expected("", List.of("a {}", "b {\"n\": 2}"), 0)),
        Arguments.of(
            ToolCallSyntax.LLAMA_JSON,
            "{\"answer\": 42}",
            new Expected("{\"answer\": 42}", List.of(), 0)),
        Arguments.of(
            ToolCallSyntax.LLAMA_JSON,
            "The call would be {\"name\": \"a\", \"parameters\": {}} but I won't.",
            new Expected(
                "The call would be {\"name\": \"a\", \"parameters\": {}} but I won't.",
                List.of(),
                0)),
        Arguments.of(
            ToolCallSyntax.LLAMA_JSON,
            "Checking. <|python_tag|>{\"name\": \"a\", \"parameters\": {}}",
            new Expected("Checking.", List.of("a {}"), 0)),
        Arguments.of(
            ToolCallSyntax.LLAMA_JSON,
            "<|python_tag|>{\"name\": \"a\", \"parameters\": {",
            new Expected("", List.of(), 1)),
        // Mistral
        Arguments.of(
            ToolCallSyntax.MISTRAL,
            "[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": "
                + WEATHER_ARGS
                + "}, {\"name\": \"get_time\", \"arguments\": {}}]",
            new Expected("", List.of("get_weather " + WEATHER_ARGS, "get_time {}"), 0)),
        Arguments.of(
            ToolCallSyntax.MISTRAL,
            "[TOOL_CALLS]get_weather[ARGS]" + WEATHER_ARGS + "[TOOL_CALLS]get_time[ARGS]{}",
            new Expected("", List.of("get_weather " + WEATHER_ARGS, "get_time {}"), 0)),
        Arguments.of(
            ToolCallSyntax.MISTRAL,
            "Checking [INST] now. [TOOL_CALLS][{\"name\": \"a\", \"arguments\": {}}] Then text.",
            new Expected("Checking [INST] now. Then text.", List.of("a {}"), 0)),
        Arguments.of(
            ToolCallSyntax.MISTRAL,
            "[TOOL_CALLS][{\"name\": \"a\", \"arguments\": [1]}]",
            new Expected("", List.of(), 1)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("replies")
  void parsesTheWholeReplyInOneDelta(ToolCallSyntax syntax, String reply, Expected expected) {
    assertOutcome(run(syntax, List.of(reply)), expected, "one delta");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("replies")
  void parsesTheSameWhateverCharacterItIsSplitAt(
      ToolCallSyntax syntax, String reply, Expected expected) {
    for (int at = 1; at < reply.length(); at++) {
      assertOutcome(
          run(syntax, List.of(reply.substring(0, at), reply.substring(at))),
          expected,
          "split at " + at);
    }
    List<String> characters = new ArrayList<>();
    for (int i = 0; i < reply.length(); i++) {
      characters.add(reply.substring(i, i + 1));
    }
    assertOutcome(run(syntax, characters), expected, "one character at a time");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("replies")
  void parsesTheSameInRandomChunks(ToolCallSyntax syntax, String reply, Expected expected) {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int round = 0; round < 30; round++) {
      List<String> chunks = new ArrayList<>();
      int at = 0;
      while (at < reply.length()) {
        int length = 1 + random.nextInt(Math.min(12, reply.length() - at));
        chunks.add(reply.substring(at, at + length));
        at += length;
      }
      assertOutcome(run(syntax, chunks), expected, "seed " + seed + ", chunks " + chunks);
    }
  }

  static void assertOutcome(Outcome outcome, Expected expected, String how) {
    assertThat(outcome.text()).as(how + ": text").isEqualTo(expected.text());
    assertThat(outcome.streamedText().strip())
        .as(how + ": streamed text")
        .isEqualTo(expected.text());
    assertThat(outcome.calls()).as(how + ": calls").isEqualTo(expected.calls());
    assertThat(outcome.warnings())
        .as(how + ": warnings " + outcome.warnings())
        .hasSize(expected.warnings());
  }

  @Test
  void mistralCallIdsAreNineLettersAndDigitsAsItsTemplatesRequire() {
    Outcome outcome =
        run(
            ToolCallSyntax.MISTRAL,
            List.of(
                "[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {}, \"id\": \"abcDEF123\"},"
                    + " {\"name\": \"b\", \"arguments\": {}}]"));

    assertThat(outcome.ids()).containsExactly("abcDEF123", "call00002");
  }

  @Test
  void callIdsContinueFromTheFirstNumberGiven() {
    List<ToolCall> calls = new ArrayList<>();
    NativeToolCallStream stream =
        new NativeToolCallStream(ToolCallSyntax.HERMES, 7, text -> {}, calls::add);
    stream.accept("<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>");
    stream.accept("<tool_call>{\"name\": \"b\", \"arguments\": {}}</tool_call>");
    stream.finish();

    assertThat(calls).extracting(ToolCall::id).containsExactly("call_7", "call_8");
  }

  @Test
  void neverPassesOnCallSyntaxAsTextWhileTheCallIsStreaming() {
    List<String> deltas = new ArrayList<>();
    NativeToolCallStream stream =
        new NativeToolCallStream(ToolCallSyntax.HERMES, 1, deltas::add, call -> {});
    for (char c : "Hi <tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>".toCharArray()) {
      stream.accept(String.valueOf(c));
    }
    stream.finish();

    assertThat(String.join("", deltas)).isEqualTo("Hi ");
  }

  static final String[] FRAGMENTS = {
    "<tool_call>",
    "</tool_call>",
    "[TOOL_CALLS]",
    "[ARGS]",
    "[CALL_ID]",
    "<|python_tag|>",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    "name",
    "\"name\": ",
    "\"arguments\": ",
    "\"parameters\": ",
    ":",
    ",",
    ";",
    " ",
    "\n",
    "a",
    "é",
    "1e400",
    "null"
  };

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(
      value = ToolCallSyntax.class,
      names = {"HERMES", "LLAMA_JSON", "MISTRAL"})
  void randomOutputNeverThrowsAndNeverLeaksAMarkerAsText(ToolCallSyntax syntax) {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String marker =
        switch (syntax) {
          case HERMES -> "<tool_call>";
          case MISTRAL -> "[TOOL_CALLS]";
          default -> "<|python_tag|>";
        };
    for (int round = 0; round < 300; round++) {
      StringBuilder reply = new StringBuilder();
      int pieces = random.nextInt(30);
      for (int i = 0; i < pieces; i++) {
        reply.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
      List<String> chunks = new ArrayList<>();
      for (int at = 0; at < reply.length(); ) {
        int length = 1 + random.nextInt(Math.min(8, reply.length() - at));
        chunks.add(reply.substring(at, at + length));
        at += length;
      }
      Outcome outcome = run(syntax, chunks);
      assertThat(outcome.streamedText())
          .as("seed " + seed + ", reply " + reply)
          .doesNotContain(marker);
    }
  }
}
