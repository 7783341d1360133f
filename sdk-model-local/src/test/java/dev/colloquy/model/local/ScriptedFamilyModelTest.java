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
import dev.colloquy.model.local.internal.gguf.GgufWriter;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Qwen3 and Llama 3.1 checkpoints with their real tokenizers and chat templates, whose weights are
 * set by hand so that greedy decoding writes a known reply: every block adds nothing (zero output
 * projections), each reply token's embedding is its own basis vector, and the LM head maps each of
 * them to the next reply token. The model then answers any prompt ending in the template's {@code
 * <|im_start|>assistant\n} (Llama 3.1's {@code assistant<|end_header_id|>\n\n}) with a tool call in
 * the family's native syntax, through the real loader, template renderer, tokenizer, engine and
 * streaming parser, from a Hugging Face directory and from GGUF files.
 */
class ScriptedFamilyModelTest {

  /**
   * A family with its real tokenizer and template, and a tool call in its native syntax whose
   * tokens are distinct, so a one-token context decides the next token.
   *
   * @param tokenizer the real tokenizer's name (RealTokenizerFiles)
   * @param modelType the checkpoint's model_type
   * @param pre the GGUF pre-tokenizer name llama.cpp writes for it
   * @param call the scripted reply
   * @param template a chat template from the test resources to use instead of the tokenizer
   *     config's, or "" (the Llama 3.1 package ships Llama 3's template, which has no tools)
   */
  record Family(String tokenizer, String modelType, String pre, String call, String template) {
    @Override
    public String toString() {
      return modelType;
    }
  }

  static final Family QWEN3 =
      new Family(
          "qwen3",
          "qwen3",
          "qwen2",
          "<tool_call>{\"name\":\"get_time\",\"arguments\":{}}</tool_call>",
          "");
  static final Family LLAMA31 =
      new Family(
          "llama3_1",
          "llama",
          "llama-bpe",
          "{\"name\":\"get_time\",\"parameters\":{}}",
          "Llama-3.1-8B-Instruct.jinja");

  static List<Family> families() {
    return List.of(QWEN3, LLAMA31);
  }

  private static final ToolSpecification GET_TIME =
      ToolSpecification.withoutParameters("get_time", "Returns the current time");

  @TempDir static Path folder;
  private static final Map<Family, Scripted> SCRIPTED = new ConcurrentHashMap<>();
  private static final List<LocalGptModel> OPEN = new ArrayList<>();

  /**
   * A family's checkpoint shape, its hand-set tensors, its tokenizer folder and the chat template
   * its files carry.
   */
  record Scripted(
      RandomDecoderCheckpoint shape,
      Map<String, Tensor> tensors,
      Path tokenizers,
      String template) {}

  private static String template(Family family, Path tokenizerFolder) {
    if (family.template().isEmpty()) {
      return ModelChatTemplates.fromDirectory(tokenizerFolder).orElseThrow().text();
    }
    try {
      return Files.readString(Path.of("src/test/resources/chat-templates", family.template()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Scripted scripted(Family family) {
    return SCRIPTED.computeIfAbsent(family, ScriptedFamilyModelTest::script);
  }

  private static Scripted script(Family family) {
    Path tokenizerFolder = RealTokenizerFiles.folder(family.tokenizer());
    try (BpeTokenizer tokenizer =
        BpeTokenizer.load(
            tokenizerFolder.resolve("tokenizer.json"),
            tokenizerFolder.resolve("tokenizer_config.json"))) {
      int eos = tokenizer.eos().orElseThrow().id();
      RandomDecoderCheckpoint shape =
          new RandomDecoderCheckpoint(
              family.modelType(),
              1,
              64,
              4,
              2,
              16,
              64,
              tokenizer.size(),
              1024,
              false,
              0,
              "null",
              "F32",
              1,
              7,
              Map.of("eos_token_id", Integer.toString(eos)));
      String template = template(family, tokenizerFolder);
      ChatFormat format =
          ModelChatTemplates.format(new ModelChatTemplates.Source(template, "test"), tokenizer);
      int[] prompt =
          new PromptEncoder(tokenizer, format, eos, 1024)
              .encode(
                  List.of(Message.user("What time is it?")),
                  List.of(GET_TIME),
                  ContextOverflow.FAIL)
              .tokens();
      int[] reply = tokenizer.encode(family.call());
      int[] chain = new int[reply.length + 2];
      chain[0] = prompt[prompt.length - 1];
      System.arraycopy(reply, 0, chain, 1, reply.length);
      chain[chain.length - 1] = eos;
      assertThat(Arrays.stream(chain).distinct().count())
          .as("the scripted reply needs distinct tokens")
          .isEqualTo(chain.length);
      return new Scripted(shape, bigram(shape, chain), tokenizerFolder, template);
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

  @AfterAll
  static void close() {
    OPEN.forEach(LocalGptModel::close);
  }

  private static LocalGptModel open(Path path) {
    LocalGptModel model = LocalGptModel.builder(path).backend(ComputeBackend.JAVA).build();
    OPEN.add(model);
    return model;
  }

  private static Path huggingFaceDirectory(Family family) throws IOException {
    Scripted scripted = scripted(family);
    Path directory = folder.resolve(family + "-hf");
    if (!Files.exists(directory)) {
      scripted.shape().writeTo(directory, scripted.tensors());
      copyTokenizer(scripted, directory);
    }
    return directory;
  }

  private static void copyTokenizer(Scripted scripted, Path directory) throws IOException {
    for (String name : List.of("tokenizer.json", "tokenizer_config.json")) {
      Files.copy(scripted.tokenizers().resolve(name), directory.resolve(name));
    }
    // chat_template.jinja comes before tokenizer_config.json's, as in newer Hugging Face releases.
    Files.writeString(directory.resolve("chat_template.jinja"), scripted.template());
  }

  @ParameterizedTest
  @MethodSource("families")
  void aHuggingFaceDirectoryChatsWithItsOwnTemplateAndToolFormat(Family family) throws IOException {
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
    Scripted scripted = scripted(family);
    Path directory = Files.createDirectories(folder.resolve(family + "-gguf-beside"));
    Path file = directory.resolve("model-f32.gguf");
    GgufConversion.write(scripted.shape(), scripted.tensors(), file, GgmlType.F32, writer -> {});
    copyTokenizer(scripted, directory);
    assertCallsGetTime(open(file));
  }

  @ParameterizedTest
  @MethodSource("families")
  void aSingleQuantizedGgufFileCarriesItsTokenizerAndTemplate(Family family) throws IOException {
    Scripted scripted = scripted(family);
    Path directory = Files.createDirectories(folder.resolve(family + "-gguf-alone"));
    Path file = directory.resolve("model-q8_0.gguf");
    GgufConversion.write(
        scripted.shape(),
        scripted.tensors(),
        file,
        GgmlType.Q8_0,
        writer -> tokenizer(family, scripted, writer));
    assertThat(directory.resolve("tokenizer.json")).doesNotExist();
    LocalGptModel model = open(directory); // the directory's only .gguf file
    assertThat(model.capabilities().toolCalling()).isTrue();
    assertCallsGetTime(model);
  }

  /** The real tokenizer as llama.cpp's converter writes it into tokenizer.ggml.* keys. */
  private static void tokenizer(Family family, Scripted scripted, GgufWriter writer) {
    try (BpeTokenizer loaded =
        BpeTokenizer.load(
            scripted.tokenizers().resolve("tokenizer.json"),
            scripted.tokenizers().resolve("tokenizer_config.json"))) {
      ObjectMapper json = new ObjectMapper();
      JsonNode tokenizer = json.readTree(scripted.tokenizers().resolve("tokenizer.json").toFile());
      Integer bos = loaded.bos().map(BpeTokenizer.Token::id).orElse(null);
      int eos = loaded.eos().orElseThrow().id();
      GgufVocabulary vocabulary =
          GgufTokenizerTest.metadata(tokenizer, "gpt2", family.pre(), true, bos, eos);
      long[] types = Arrays.stream(vocabulary.tokenTypes()).asLongStream().toArray();
      writer.putString("tokenizer.ggml.model", "gpt2");
      writer.putString("tokenizer.ggml.pre", family.pre());
      writer.putArray("tokenizer.ggml.tokens", GgufValue.Array.ofStrings(vocabulary.tokens()));
      writer.putArray("tokenizer.ggml.token_type", new GgufValue.Array(GgufValueType.INT32, types));
      writer.putArray("tokenizer.ggml.merges", GgufValue.Array.ofStrings(vocabulary.merges()));
      if (bos != null) {
        writer.putUint32("tokenizer.ggml.bos_token_id", bos);
      }
      writer.putUint32("tokenizer.ggml.eos_token_id", eos);
      writer.putBool("tokenizer.ggml.add_bos_token", loaded.addsBosToken());
      writer.putString("tokenizer.chat_template", scripted.template());
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
    LocalGptModel model = open(huggingFaceDirectory(QWEN3));
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
    assertThat(response.text()).isEqualTo(QWEN3.call());
    assertThat(String.join("", deltas)).isEqualTo(QWEN3.call());
    assertThat(response.message()).isInstanceOf(AssistantMessage.class);
  }
}
