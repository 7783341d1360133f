package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.model.local.ScriptedCheckpoint.Family;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Qwen3 and Llama 3.1 checkpoints with their real tokenizers and chat templates, scripted ({@link
 * ScriptedCheckpoint}) to answer with a tool call in the family's native syntax, through the real
 * loader, template renderer, tokenizer, engine and streaming parser, from a Hugging Face directory
 * and from GGUF files.
 */
class ScriptedFamilyModelTest {

  /** Each reply's tokens are distinct with its family's tokenizer. */
  private static final Map<Family, String> CALLS =
      Map.of(
          ScriptedCheckpoint.QWEN3,
          "<tool_call>{\"name\":\"get_time\",\"arguments\":{}}</tool_call>",
          ScriptedCheckpoint.LLAMA31,
          "{\"name\":\"get_time\",\"parameters\":{}}");

  static List<Family> families() {
    return List.of(ScriptedCheckpoint.QWEN3, ScriptedCheckpoint.LLAMA31);
  }

  private static final ToolSpecification GET_TIME =
      ToolSpecification.withoutParameters("get_time", "Returns the current time");

  @TempDir static Path folder;
  private static final Map<Family, ScriptedCheckpoint> SCRIPTED = new ConcurrentHashMap<>();
  private static final List<LocalGptModel> OPEN = new ArrayList<>();

  private static ScriptedCheckpoint scripted(Family family) {
    return SCRIPTED.computeIfAbsent(family, f -> ScriptedCheckpoint.replying(f, CALLS.get(f)));
  }

  @AfterAll
  static void close() {
    OPEN.forEach(LocalGptModel::close);
  }

  private static LocalGptModel open(Path path) {
    LocalGptModel model = LocalGptModel.builder(path).backend(ComputeBackend.JAVA).build();
    OPEN.add(model);
    return model;
  }

  private static Path huggingFaceDirectory(Family family) {
    Path directory = folder.resolve(family + "-hf");
    if (!Files.exists(directory)) {
      scripted(family).writeHuggingFaceDirectory(directory);
    }
    return directory;
  }

  @ParameterizedTest
  @MethodSource("families")
  void aHuggingFaceDirectoryChatsWithItsOwnTemplateAndToolFormat(Family family) {
    LocalGptModel model = open(huggingFaceDirectory(family));
    assertThat(model.capabilities().toolCalling()).isTrue();
    assertCallsGetTime(model);
  }

  @ParameterizedTest
  @MethodSource("families")
  void quantizedToQ8_0OnLoadItStillCallsTheTool(Family family) throws IOException {
    LocalGptModel model =
        LocalGptModel.builder(huggingFaceDirectory(family))
            .backend(ComputeBackend.JAVA)
            .weights(WeightFormat.Q8_0)
            .build();
    OPEN.add(model);
    assertCallsGetTime(model);
  }

  @ParameterizedTest
  @MethodSource("families")
  void aGgufFileWithTheTokenizerBesideItRepliesTheSame(Family family) throws IOException {
    Path directory = Files.createDirectories(folder.resolve(family + "-gguf-beside"));
    Path file =
        scripted(family).writeGgufWithoutTokenizer(directory.resolve("model.gguf"), GgmlType.F32);
    scripted(family).copyTokenizer(directory);
    assertCallsGetTime(open(file));
  }

  @ParameterizedTest
  @MethodSource("families")
  void aSingleQuantizedGgufFileCarriesItsTokenizerAndTemplate(Family family) {
    Path directory = folder.resolve(family + "-gguf-alone");
    scripted(family).writeGguf(directory.resolve("model-q8_0.gguf"), GgmlType.Q8_0);
    assertThat(directory.resolve("tokenizer.json")).doesNotExist();
    LocalGptModel model = open(directory); // the directory's only .gguf file
    assertThat(model.capabilities().toolCalling()).isTrue();
    assertCallsGetTime(model);
  }

  /**
   * The reply is one get_time call, parsed while streaming: no markup reaches the text, and the
   * tool's result goes back through the template for the next turn.
   */
  private static void assertCallsGetTime(LocalGptModel model) {
    ChatRequest request =
        new ChatRequest(
            List.of(Message.user("What time is it?")),
            List.of(GET_TIME),
            ChatOptions.builder().temperature(0).maxTokens(40).build());
    StringBuilder streamed = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    ChatResponse response =
        model.generate(
            request,
            new StreamListener() {
              @Override
              public void onText(String delta) {
                streamed.append(delta);
              }

              @Override
              public void onToolCall(ToolCall call) {
                calls.add(call);
              }
            },
            Cancellation.none());
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.message().toolCalls()).hasSize(1);
    ToolCall call = response.message().toolCalls().get(0);
    assertThat(call.name()).isEqualTo("get_time");
    assertThat(call.arguments()).isEqualTo("{}");
    assertThat(calls).containsExactly(call);
    assertThat(streamed.toString()).doesNotContain("tool_call").doesNotContain("get_time");
    assertThat(response.text()).isBlank();

    // The call and its result render through the model's template for the next turn.
    List<Message> next = new ArrayList<>(request.messages());
    next.add(response.message());
    next.add(ToolResultMessage.of(call, "12:00"));
    ChatResponse again = model.chat(request.withMessages(next));
    assertThat(again.message().toolCalls()).extracting(ToolCall::name).containsExactly("get_time");
    assertThat(again.usage().inputTokens()).isGreaterThan(response.usage().inputTokens());
  }

  @Test
  void withoutToolsTheSameTokensAreTextAndEndAtImEnd() {
    LocalGptModel model = open(huggingFaceDirectory(ScriptedCheckpoint.QWEN3));
    List<String> deltas = new ArrayList<>();
    Consumer<String> sink = deltas::add;
    ChatResponse response =
        model.generate(
            ChatRequest.of(Message.user("What time is it?"))
                .withOptions(ChatOptions.builder().temperature(0).maxTokens(40).build()),
            new StreamListener() {
              @Override
              public void onText(String delta) {
                sink.accept(delta);
              }
            },
            Cancellation.none());
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.text()).isEqualTo(CALLS.get(ScriptedCheckpoint.QWEN3));
    assertThat(String.join("", deltas)).isEqualTo(CALLS.get(ScriptedCheckpoint.QWEN3));
    assertThat(response.message()).isInstanceOf(AssistantMessage.class);
  }
}
