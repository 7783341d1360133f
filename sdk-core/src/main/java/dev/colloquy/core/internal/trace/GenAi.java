package dev.colloquy.core.internal.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.core.internal.json.JsonSchemas;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.TokenUsage;
import java.util.Locale;

/**
 * The names of the OpenTelemetry GenAI semantic conventions (v1.41.0, development status) that
 * Colloquy's spans use, and the JSON forms of recorded content.
 */
public final class GenAi {

  public static final String OPERATION_NAME = "gen_ai.operation.name";
  public static final String PROVIDER_NAME = "gen_ai.provider.name";
  public static final String REQUEST_MODEL = "gen_ai.request.model";
  public static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  public static final String REQUEST_TEMPERATURE = "gen_ai.request.temperature";
  public static final String RESPONSE_MODEL = "gen_ai.response.model";
  public static final String RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  public static final String CONVERSATION_ID = "gen_ai.conversation.id";
  public static final String AGENT_NAME = "gen_ai.agent.name";
  public static final String WORKFLOW_NAME = "gen_ai.workflow.name";
  public static final String TOOL_NAME = "gen_ai.tool.name";
  public static final String TOOL_CALL_ID = "gen_ai.tool.call.id";
  public static final String TOOL_TYPE = "gen_ai.tool.type";
  public static final String TOOL_ARGUMENTS = "gen_ai.tool.call.arguments";
  public static final String TOOL_RESULT = "gen_ai.tool.call.result";
  public static final String INPUT_MESSAGES = "gen_ai.input.messages";
  public static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
  public static final String SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
  public static final String ERROR_TYPE = "error.type";

  /** Colloquy's own attributes, outside the conventions. */
  public static final String ATTEMPT = "colloquy.attempt";

  public static final String FALLBACK_INDEX = "colloquy.fallback.index";
  public static final String CHAIN_STEP = "colloquy.chain.step";

  /** Observation names: the names of the meters a meter handler makes of the spans. */
  public static final String OBSERVE_TURN = "colloquy.agent.turn";

  public static final String OBSERVE_CHAT = "colloquy.model.chat";
  public static final String OBSERVE_FALLBACK = "colloquy.model.fallback";
  public static final String OBSERVE_ATTEMPT = "colloquy.model.attempt";
  public static final String OBSERVE_TOOL = "colloquy.tool.execution";
  public static final String OBSERVE_WORKFLOW = "colloquy.chain.workflow";
  public static final String OBSERVE_STEP = "colloquy.chain.step";

  private GenAi() {}

  /** Returns the span name of a model-call span for a model, or without one. */
  static String spanName(SpanKind kind, String model) {
    String operation =
        switch (kind) {
          case CHAT -> "chat";
          case FALLBACK -> "fallback";
          case ATTEMPT -> "attempt";
          default -> throw new IllegalArgumentException("not a model-call span: " + kind);
        };
    return model == null ? operation : operation + " " + model;
  }

  /** Returns a finish reason as the conventions spell it. */
  public static String finishReason(FinishReason reason) {
    return switch (reason) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
      case OTHER -> "other";
    };
  }

  /** Records the request's settings and, when content is captured, its messages. */
  public static void request(TraceSpan span, ChatRequest request) {
    request.options().maxTokens().ifPresent(n -> span.tag(REQUEST_MAX_TOKENS, Integer.toString(n)));
    request
        .options()
        .temperature()
        .ifPresent(t -> span.tag(REQUEST_TEMPERATURE, Double.toString(t)));
    if (!span.capturesContent()) {
      return;
    }
    ArrayNode system = JsonSchemas.MAPPER.createArrayNode();
    ArrayNode input = JsonSchemas.MAPPER.createArrayNode();
    for (Message message : request.messages()) {
      if (message instanceof SystemMessage) {
        system.add(textPart(message.text()));
      } else {
        input.add(message(message));
      }
    }
    if (!system.isEmpty()) {
      span.tag(SYSTEM_INSTRUCTIONS, span.content(system.toString()));
    }
    span.tag(INPUT_MESSAGES, span.content(input.toString()));
  }

  /** Records a response: models, usage, finish reason and, when captured, the reply. */
  public static void response(TraceSpan span, ChatResponse response) {
    span.tag(RESPONSE_MODEL, response.modelId());
    usage(span, response.usage());
    span.tag(RESPONSE_FINISH_REASONS, finishReasons(response.finishReason()));
    if (span.capturesContent()) {
      ObjectNode output = message(response.message());
      output.put("finish_reason", finishReason(response.finishReason()));
      ArrayNode outputs = JsonSchemas.MAPPER.createArrayNode().add(output);
      span.tag(OUTPUT_MESSAGES, span.content(outputs.toString()));
    }
  }

  /** Records token usage. */
  public static void usage(TraceSpan span, TokenUsage usage) {
    span.tag(INPUT_TOKENS, Long.toString(usage.inputTokens()));
    span.tag(OUTPUT_TOKENS, Long.toString(usage.outputTokens()));
  }

  /**
   * Returns the finish reasons as an attribute value: the conventions' string array, written as
   * JSON because observation attributes are strings.
   */
  public static String finishReasons(FinishReason reason) {
    return "[\"" + finishReason(reason) + "\"]";
  }

  private static ObjectNode message(Message message) {
    ObjectNode node = JsonSchemas.MAPPER.createObjectNode();
    node.put("role", message.role().name().toLowerCase(Locale.ROOT));
    ArrayNode parts = node.putArray("parts");
    if (message instanceof ToolResultMessage result) {
      parts
          .addObject()
          .put("type", "tool_call_response")
          .put("id", result.toolCallId())
          .put("response", result.text());
      return node;
    }
    if (!message.text().isEmpty()) {
      parts.add(textPart(message.text()));
    }
    if (message instanceof AssistantMessage assistant) {
      for (ToolCall call : assistant.toolCalls()) {
        parts
            .addObject()
            .put("type", "tool_call")
            .put("id", call.id())
            .put("name", call.name())
            .set("arguments", arguments(call.arguments()));
      }
    }
    return node;
  }

  private static ObjectNode textPart(String text) {
    return JsonSchemas.MAPPER.createObjectNode().put("type", "text").put("content", text);
  }

  // Arguments are JSON text from the model; kept as a string when they do not parse.
  private static JsonNode arguments(String arguments) {
    try {
      return JsonSchemas.MAPPER.readTree(arguments);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return JsonSchemas.MAPPER.getNodeFactory().textNode(arguments);
    }
  }
}
