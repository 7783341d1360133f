package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.colloquy.model.local.fixture.GgufConversion;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint.Tensor;
import dev.colloquy.model.local.internal.generation.PromptEncoder;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import dev.colloquy.model.local.internal.gguf.GgufValue;
import dev.colloquy.model.local.internal.gguf.GgufValueType;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import dev.colloquy.model.local.internal.tokenizer.GgufTokenizerTest;
import dev.colloquy.model.local.internal.tokenizer.GgufVocabulary;
import dev.colloquy.model.local.internal.tokenizer.RealTokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Qwen3 checkpoint with the real Qwen3 tokenizer and chat template, whose weights are set by hand
 * so that greedy decoding writes a known reply: every block adds nothing (zero output projections),
 * each reply token's embedding is its own basis vector, and the LM head maps each of them to the
 * next reply token. The model then answers any prompt ending in the template's {@code
 * <|im_start|>assistant\n} with a Hermes tool call, through the real loader, template renderer,
 * tokenizer, engine and streaming parser, from a Hugging Face directory and from GGUF files.
 */
class ScriptedFamilyModelTest {

  /** Distinct tokens with the Qwen3 tokenizer, so a one-token context decides the next token. */
  private static final String CALL =
      "<tool_call>{\"name\":\"get_time\",\"arguments\":{}}</tool_call>";

  private static final ToolSpecification GET_TIME =
      ToolSpecification.withoutParameters("get_time", "Returns the current time");

  @TempDir static Path folder;
  private static RandomDecoderCheckpoint shape;
  private static Map<String, Tensor> scripted;
  private static Path tokenizerFolder;

  @BeforeAll
  static void script() throws IOException {
    tokenizerFolder = RealTokenizerFiles.folder("qwen3");
    try (BpeTokenizer tokenizer =
        BpeTokenizer.load(
            tokenizerFolder.resolve("tokenizer.json"),
            tokenizerFolder.resolve("tokenizer_config.json"))) {
      int vocabulary = tokenizer.size();
      shape =
          new RandomDecoderCheckpoint(
              "qwen3",
              1,
              64,
              4,
              2,
              16,
              64,
              vocabulary,
              1024,
              false,
              0,
              "null",
              "F32",
              1,
              7,
              Map.of("eos_token_id", "151645"));
      ChatFormat format =
          ModelChatTemplates.format(
              ModelChatTemplates.fromDirectory(tokenizerFolder).orElseThrow(), tokenizer);
      int[] prompt =
          new PromptEncoder(tokenizer, format, 151645, 1024)
              .encode(List.of(Message.user("What time is it?")), ContextOverflow.FAIL)
              .tokens();
      int[] reply = tokenizer.encode(CALL);
      int[] chain = new int[reply.length + 2];
      chain[0] = prompt[prompt.length - 1];
      System.arraycopy(reply, 0, chain, 1, reply.length);
      chain[chain.length - 1] = tokenizer.eos().orElseThrow().id();
      assertThat(Arrays.stream(chain).distinct().count())
          .as("the scripted reply needs distinct tokens")
          .isEqualTo(chain.length);
      scripted = bigram(shape, chain);
    }
  }

  /** Sets the weights so that token chain[i] is always followed by chain[i + 1]. */
  private static Map<String, Tensor> bigram(RandomDecoderCheckpoint shape, int[] chain) {
    Map<String, Tensor> tensors = new LinkedHashMap<>(shape.tensors());
    int width = shape.width();
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      String name = entry.getKey();
      float[] values = entry.getValue().values();
      if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
        Arrays.fill(values, 0); // each block adds nothing to the residual stream
      } else if (name.equals("model.norm.weight")) {
        Arrays.fill(values, 1);
      } else if (name.equals("lm_head.weight")) {
        Arrays.fill(values, 0);
      }
    }
    float[] embedding = tensors.get("model.embed_tokens.weight").values();
    float[] head = tensors.get("lm_head.weight").values();
    for (int i = 0; i < chain.length; i++) {
      Arrays.fill(embedding, chain[i] * width, (chain[i] + 1) * width, 0);
      embedding[chain[i] * width + i] = 1; // one basis vector per chain token
      if (i + 1 < chain.length) {
        head[chain[i + 1] * width + i] = 4; // the next token scores 4·√width, the others 0
      }
    }
    return tensors;
  }

  private static final List<LocalGptModel> OPEN = new ArrayList<>();

  @AfterAll
  static void close() {
    OPEN.forEach(LocalGptModel::close);
  }

  private static LocalGptModel open(Path path) {
    LocalGptModel model = LocalGptModel.builder(path).backend(ComputeBackend.JAVA).build();
    OPEN.add(model);
    return model;
  }

  private static Path huggingFaceDirectory() throws IOException {
    Path directory = folder.resolve("hf");
    if (!Files.exists(directory)) {
      shape.writeTo(directory, scripted);
      copyTokenizer(directory);
    }
    return directory;
  }

  private static void copyTokenizer(Path directory) throws IOException {
    Files.copy(tokenizerFolder.resolve("tokenizer.json"), directory.resolve("tokenizer.json"));
    Files.copy(
        tokenizerFolder.resolve("tokenizer_config.json"),
        directory.resolve("tokenizer_config.json"));
  }

  @Test
  void aHuggingFaceDirectoryChatsWithItsOwnTemplateAndToolFormat() throws IOException {
    LocalGptModel model = open(huggingFaceDirectory());
    assertThat(model.capabilities().toolCalling()).isTrue();
    assertCallsGetTime(model);
  }

  @Test
  void aGgufFileWithTheTokenizerBesideItRepliesTheSame() throws IOException {
    Path directory = Files.createDirectories(folder.resolve("gguf-beside"));
    Path file = directory.resolve("model-f32.gguf");
    GgufConversion.write(shape, scripted, file, GgmlType.F32, writer -> {});
    copyTokenizer(directory);
    assertCallsGetTime(open(file));
  }

  @Test
  void aSingleQuantizedGgufFileCarriesItsTokenizerAndTemplate() throws IOException {
    Path directory = Files.createDirectories(folder.resolve("gguf-alone"));
    Path file = directory.resolve("model-q8_0.gguf");
    GgufConversion.write(shape, scripted, file, GgmlType.Q8_0, ScriptedFamilyModelTest::tokenizer);
    assertThat(directory.resolve("tokenizer.json")).doesNotExist();
    LocalGptModel model = open(directory); // the directory's only .gguf file
    assertThat(model.capabilities().toolCalling()).isTrue();
    assertCallsGetTime(model);
  }

  /** The real tokenizer as llama.cpp's converter writes it into tokenizer.ggml.* keys. */
  private static void tokenizer(dev.colloquy.model.local.internal.gguf.GgufWriter writer) {
    try {
      ObjectMapper json = new ObjectMapper();
      JsonNode tokenizer = json.readTree(tokenizerFolder.resolve("tokenizer.json").toFile());
      JsonNode config = json.readTree(tokenizerFolder.resolve("tokenizer_config.json").toFile());
      GgufVocabulary vocabulary =
          GgufTokenizerTest.metadata(tokenizer, "gpt2", "qwen2", true, null, 151645);
      long[] types = Arrays.stream(vocabulary.tokenTypes()).asLongStream().toArray();
      writer.putString("tokenizer.ggml.model", "gpt2");
      writer.putString("tokenizer.ggml.pre", "qwen2");
      writer.putArray("tokenizer.ggml.tokens", GgufValue.Array.ofStrings(vocabulary.tokens()));
      writer.putArray("tokenizer.ggml.token_type", new GgufValue.Array(GgufValueType.INT32, types));
      writer.putArray("tokenizer.ggml.merges", GgufValue.Array.ofStrings(vocabulary.merges()));
      writer.putUint32("tokenizer.ggml.eos_token_id", 151645);
      writer.putUint32("tokenizer.ggml.padding_token_id", 151643);
      writer.putBool("tokenizer.ggml.add_bos_token", false);
      writer.putString("tokenizer.chat_template", config.path("chat_template").asText());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
  void withoutToolsTheSameTokensAreTextAndEndAtImEnd() throws IOException {
    LocalGptModel model = open(huggingFaceDirectory());
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
    assertThat(response.text()).isEqualTo(CALL);
    assertThat(String.join("", deltas)).isEqualTo(CALL);
    assertThat(response.message()).isInstanceOf(AssistantMessage.class);
  }
}
