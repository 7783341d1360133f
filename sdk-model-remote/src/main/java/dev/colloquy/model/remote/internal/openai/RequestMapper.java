package dev.colloquy.model.remote.internal.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.message.UserMessage;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ResponseFormat;
import dev.colloquy.core.model.ToolChoice;
import dev.colloquy.core.model.ToolSpecification;
import dev.colloquy.model.remote.MaxTokensField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a {@link ChatRequest} as an OpenAI chat-completions request body.
 *
 * <p>Only settings the caller set are written, so each server applies its own defaults. Top-k is
 * written as {@code top_k}, which vLLM, llama.cpp and LM Studio accept and OpenAI rejects; the
 * repetition penalty has no portable name and is not sent. The token limit goes in the field the
 * builder chose ({@code max_tokens} unless told otherwise). Logprobs go as {@code logprobs: true}
 * and, when alternatives are asked for, {@code top_logprobs}. Stateless and thread-safe.
 */
public final class RequestMapper {

  private final ObjectMapper mapper;
  private final JsonFactory factory;
  private final String maxTokensName;

  /**
   * @param mapper the mapper whose factory and settings write the body
   * @param maxTokensField the field that carries the output-token limit
   */
  public RequestMapper(ObjectMapper mapper, MaxTokensField maxTokensField) {
    this.mapper = mapper;
    this.factory = mapper.getFactory();
    this.maxTokensName = maxTokensField.jsonName();
  }

  /**
   * Returns the request body.
   *
   * @param request the request
   * @param model the model name to send
   * @param stream whether to ask for a server-sent event stream (with usage in its last chunk)
   */
  public byte[] toJson(ChatRequest request, String model, boolean stream) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator json = factory.createGenerator(out)) {
      json.setCodec(mapper);
      json.writeStartObject();
      json.writeStringField("model", model);
      json.writeArrayFieldStart("messages");
      for (Message message : request.messages()) {
        writeMessage(json, message);
      }
      json.writeEndArray();
      if (!request.tools().isEmpty()) {
        writeTools(json, request.tools(), request.options().toolChoice());
      }
      writeOptions(json, request.options());
      if (stream) {
        json.writeBooleanField("stream", true);
        json.writeObjectFieldStart("stream_options");
        json.writeBooleanField("include_usage", true);
        json.writeEndObject();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing a request body to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writeMessage(JsonGenerator json, Message message) throws IOException {
    json.writeStartObject();
    if (message instanceof SystemMessage system) {
      json.writeStringField("role", "system");
      json.writeStringField("content", system.text());
    } else if (message instanceof UserMessage user) {
      json.writeStringField("role", "user");
      json.writeStringField("content", user.text());
    } else if (message instanceof AssistantMessage assistant) {
      json.writeStringField("role", "assistant");
      if (assistant.text().isEmpty() && assistant.hasToolCalls()) {
        json.writeNullField("content");
      } else {
        json.writeStringField("content", assistant.text());
      }
      if (assistant.hasToolCalls()) {
        writeToolCalls(json, assistant.toolCalls());
      }
    } else if (message instanceof ToolResultMessage result) {
      json.writeStringField("role", "tool");
      json.writeStringField("tool_call_id", result.toolCallId());
      json.writeStringField("content", result.text());
    }
    json.writeEndObject();
  }

  private static void writeToolCalls(JsonGenerator json, List<ToolCall> calls) throws IOException {
    json.writeArrayFieldStart("tool_calls");
    for (ToolCall call : calls) {
      json.writeStartObject();
      json.writeStringField("id", call.id());
      json.writeStringField("type", "function");
      json.writeObjectFieldStart("function");
      json.writeStringField("name", call.name());
      json.writeStringField("arguments", call.arguments());
      json.writeEndObject();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void writeTools(
      JsonGenerator json, List<ToolSpecification> tools, ToolChoice choice) throws IOException {
    json.writeArrayFieldStart("tools");
    for (ToolSpecification tool : tools) {
      json.writeStartObject();
      json.writeStringField("type", "function");
      json.writeObjectFieldStart("function");
      json.writeStringField("name", tool.name());
      if (!tool.description().isEmpty()) {
        json.writeStringField("description", tool.description());
      }
      json.writeFieldName("parameters");
      json.writeRawValue(tool.parameters().toJson());
      json.writeEndObject();
      json.writeEndObject();
    }
    json.writeEndArray();
    // "auto" is every server's default when tools are offered, so it is left out.
    if (choice instanceof ToolChoice.Named named) {
      json.writeObjectFieldStart("tool_choice");
      json.writeStringField("type", "function");
      json.writeObjectFieldStart("function");
      json.writeStringField("name", named.name());
      json.writeEndObject();
      json.writeEndObject();
    } else if (choice == ToolChoice.none()) {
      json.writeStringField("tool_choice", "none");
    } else if (choice == ToolChoice.required()) {
      json.writeStringField("tool_choice", "required");
    }
  }

  private void writeOptions(JsonGenerator json, ChatOptions options) throws IOException {
    if (options.temperature().isPresent()) {
      json.writeNumberField("temperature", options.temperature().getAsDouble());
    }
    if (options.topP().isPresent()) {
      json.writeNumberField("top_p", options.topP().getAsDouble());
    }
    if (options.topK().isPresent()) {
      json.writeNumberField("top_k", options.topK().getAsInt());
    }
    if (options.maxTokens().isPresent()) {
      json.writeNumberField(maxTokensName, options.maxTokens().getAsInt());
    }
    if (!options.stop().isEmpty()) {
      json.writeArrayFieldStart("stop");
      for (String stop : options.stop()) {
        json.writeString(stop);
      }
      json.writeEndArray();
    }
    if (options.seed().isPresent()) {
      json.writeNumberField("seed", options.seed().getAsLong());
    }
    if (options.logprobs().isPresent()) {
      json.writeBooleanField("logprobs", true);
      int top = options.logprobs().getAsInt();
      if (top > 0) { // 0 is the server's default; some servers reject it written out
        json.writeNumberField("top_logprobs", top);
      }
    }
    ResponseFormat format = options.responseFormat();
    if (format instanceof ResponseFormat.Json) {
      json.writeObjectFieldStart("response_format");
      json.writeStringField("type", "json_object");
      json.writeEndObject();
    } else if (format instanceof ResponseFormat.JsonSchema schema) {
      json.writeObjectFieldStart("response_format");
      json.writeStringField("type", "json_schema");
      json.writeObjectFieldStart("json_schema");
      json.writeStringField("name", schema.name());
      if (schema.strict()) {
        json.writeBooleanField("strict", true);
      }
      json.writeFieldName("schema");
      json.writeRawValue(schema.schema().toJson());
      json.writeEndObject();
      json.writeEndObject();
    }
  }
}
