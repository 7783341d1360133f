package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.model.ToolSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the real chat templates in test resources and compares the text with what Python jinja2
 * rendered (renders.json, made by src/test/python/render_templates.py).
 */
class ChatTemplateRenderTest {

  static final Clock FIXED_NOW =
      Clock.fixed(LocalDateTime.of(2025, 3, 14, 9, 30).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

  static final Map<String, Set<String>> SPECIAL_TOKENS =
      Map.of(
          "Llama",
          Set.of(
              "<|begin_of_text|>",
              "<|start_header_id|>",
              "<|end_header_id|>",
              "<|eot_id|>",
              "<|eom_id|>",
              "<|python_tag|>"),
          "Qwen",
          Set.of("<|im_start|>", "<|im_end|>", "<|endoftext|>"),
          "Mistral",
          Set.of(
              "<s>",
              "</s>",
              "[INST]",
              "[/INST]",
              "[TOOL_CALLS]",
              "[AVAILABLE_TOOLS]",
              "[/AVAILABLE_TOOLS]",
              "[TOOL_RESULTS]",
              "[/TOOL_RESULTS]"),
          "Phi",
          Set.of("<s>", "<|endoftext|>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"),
          "SmolLM2",
          Set.of("<|im_start|>", "<|im_end|>", "<|endoftext|>"));

  static final ToolSpecification WEATHER =
      new ToolSpecification(
          "get_weather",
          "Gets the current weather in a city",
          JsonSchema.parse(
              "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\","
                  + " \"description\": \"The city's name\"}, \"unit\": {\"type\": \"string\","
                  + " \"enum\": [\"celsius\", \"fahrenheit\"]}}, \"required\": [\"city\"]}"));

  static final String TRICKY_USER = "Repeat <|im_start|> and [INST] and <|eot_id|> back.";

  record Case(List<Message> messages, List<ToolSpecification> tools) {}

  static Case named(String name) {
    return switch (name) {
      case "multi_turn_with_system" ->
          new Case(
              List.of(
                  Message.system("You are a terse assistant."),
                  Message.user("Hello, who are you?"),
                  Message.assistant("I am an assistant. Ça va?"),
                  Message.user(TRICKY_USER)),
              List.of());
      case "single_user_turn" -> new Case(List.of(Message.user("  Hi there  ")), List.of());
      case "tool_call_and_result" -> {
        ToolCall call =
            new ToolCall(
                "call00001", "get_weather", "{\"city\": \"Paris\", \"unit\": \"celsius\"}");
        yield new Case(
            List.of(
                Message.system("You answer weather questions."),
                Message.user("What is the weather in Paris?"),
                AssistantMessage.ofToolCalls(List.of(call)),
                ToolResultMessage.of(call, "{\"temperature\": 21, \"sky\": \"clear\"}")),
            List.of(WEATHER));
      }
      case "reasoning_in_history" ->
          new Case(
              List.of(
                  Message.user("What is 2+2?"),
                  Message.assistant("<think>\nSimple sum.\n</think>\n\nIt is 4."),
                  Message.user("Thanks")),
              List.of());
      case "tools_offered" ->
          new Case(List.of(Message.user("Is it raining in Oslo?")), List.of(WEATHER));
      default -> throw new IllegalArgumentException(name);
    };
  }

  static String resource(String name) {
    try (InputStream in =
        ChatTemplateRenderTest.class.getResourceAsStream("/chat-templates/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Set<String> specialTokensOf(String templateFile) {
    return SPECIAL_TOKENS.entrySet().stream()
        .filter(entry -> templateFile.startsWith(entry.getKey()))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  static TemplateChatFormat format(String templateFile, String bos, String eos) {
    return ChatFormat.template(resource(templateFile))
        .bosToken(bos)
        .eosToken(eos)
        .specialTokens(specialTokensOf(templateFile))
        .clock(FIXED_NOW)
        .build();
  }

  static Stream<Arguments> renders() throws IOException {
    JsonNode root = new ObjectMapper().readTree(resource("renders.json"));
    List<Arguments> arguments = new ArrayList<>();
    for (JsonNode render : root.get("renders")) {
      arguments.add(
          Arguments.of(
              render.get("template").asText(),
              render.get("case").asText(),
              render.get("bosToken").asText(),
              render.get("eosToken").asText(),
              render.get("output").asText()));
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("renders")
  void rendersEachRealTemplateAsPythonJinja2Does(
      String template, String caseName, String bos, String eos, String expected) {
    Case conversation = named(caseName);

    List<ChatFormat.Segment> segments =
        format(template, bos, eos).render(conversation.messages(), conversation.tools());

    assertThat(joined(segments)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("renders")
  void specialTokensComeOnlyFromTheTemplateNeverFromMessageText(
      String template, String caseName, String bos, String eos, String expected) {
    Case conversation = named(caseName);

    List<ChatFormat.Segment> segments =
        format(template, bos, eos).render(conversation.messages(), conversation.tools());

    Set<String> specials = specialTokensOf(template);
    for (ChatFormat.Segment segment : segments) {
      if (segment instanceof ChatFormat.Special special) {
        assertThat(specials).contains(special.token());
      }
    }
    if (caseName.equals("multi_turn_with_system")) {
      assertThat(segments)
          .filteredOn(ChatFormat.Text.class::isInstance)
          .map(segment -> ((ChatFormat.Text) segment).text())
          .anySatisfy(text -> assertThat(text).contains(TRICKY_USER));
    }
  }

  static String joined(List<ChatFormat.Segment> segments) {
    StringBuilder text = new StringBuilder();
    for (ChatFormat.Segment segment : segments) {
      if (segment instanceof ChatFormat.Text plain) {
        text.append(plain.text());
      } else if (segment instanceof ChatFormat.Special special) {
        text.append(special.token());
      } else {
        throw new AssertionError("unexpected segment " + segment);
      }
    }
    return text.toString();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "Llama-3.1-8B-Instruct.jinja, LLAMA_JSON",
    "Llama-3.2-3B-Instruct.jinja, LLAMA_JSON",
    "Qwen2.5-7B-Instruct.jinja, HERMES",
    "Qwen3-0.6B.jinja, HERMES",
    "Mistral-Nemo-Instruct-2407.jinja, MISTRAL",
    "Phi-3.5-mini-instruct.jinja, NONE",
    "SmolLM2-1.7B-Instruct.jinja, NONE"
  })
  void eachRealTemplateTeachesTheToolSyntaxItIsReadWith(String template, ToolCallSyntax syntax) {
    assertThat(ChatFormat.template(resource(template)).build().toolCallSyntax()).isEqualTo(syntax);
  }
}
