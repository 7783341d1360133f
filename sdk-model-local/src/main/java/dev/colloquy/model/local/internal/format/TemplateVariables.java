package dev.colloquy.model.local.internal.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ToolSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A conversation as the variables of a Hugging Face chat template: {@code messages} in the shape
 * transformers documents (role and content; an assistant's {@code tool_calls} as {@code {id, type:
 * "function", function: {name, arguments}}} with the arguments as an object; a tool result as role
 * {@code tool} with {@code tool_call_id} and {@code name}) and {@code tools} as OpenAI-style
 * function descriptions. Every string passes through the guard on its way in.
 */
public final class TemplateVariables {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TemplateVariables() {}

  /** Returns the {@code messages} variable. */
  public static List<Object> messages(List<Message> messages, SpecialTokenGuard guard) {
    List<Object> result = new ArrayList<>();
    for (Message message : messages) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("role", message.role().name().toLowerCase(java.util.Locale.ROOT));
      entry.put("content", guard.protect(message.text()));
      if (message instanceof AssistantMessage assistant && assistant.hasToolCalls()) {
        List<Object> calls = new ArrayList<>();
        for (ToolCall call : assistant.toolCalls()) {
          Map<String, Object> function = new LinkedHashMap<>();
          function.put("name", guard.protect(call.name()));
          function.put("arguments", guarded(arguments(call.arguments()), guard));
          Map<String, Object> wrapper = new LinkedHashMap<>();
          wrapper.put("id", guard.protect(call.id()));
          wrapper.put("type", "function");
          wrapper.put("function", function);
          calls.add(wrapper);
        }
        entry.put("tool_calls", calls);
      } else if (message instanceof ToolResultMessage tool) {
        entry.put("tool_call_id", guard.protect(tool.toolCallId()));
        entry.put("name", guard.protect(tool.toolName()));
      }
      result.add(entry);
    }
    return result;
  }

  /**
   * Returns the {@code tools} variable: {@code [{type: "function", function: {name, description,
   * parameters}}]}.
   */
  public static List<Object> tools(List<ToolSpecification> tools, SpecialTokenGuard guard) {
    List<Object> result = new ArrayList<>();
    for (ToolSpecification tool : tools) {
      Map<String, Object> function = new LinkedHashMap<>();
      function.put("name", tool.name());
      function.put("description", tool.description());
      function.put("parameters", parse(tool.parameters().toJson()));
      Map<String, Object> wrapper = new LinkedHashMap<>();
      wrapper.put("type", "function");
      wrapper.put("function", function);
      result.add(guarded(wrapper, guard));
    }
    return result;
  }

  /** The arguments as an object when they are one, else the text as the model wrote it. */
  private static Object arguments(String text) {
    if (text.isBlank()) {
      return new LinkedHashMap<String, Object>();
    }
    try {
      Object value = JSON.readValue(text, Object.class);
      return value instanceof Map ? value : text;
    } catch (JsonProcessingException e) {
      return text;
    }
  }

  private static Object parse(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonSchema writes valid JSON", e);
    }
  }

  private static Object guarded(Object value, SpecialTokenGuard guard) {
    if (value instanceof String text) {
      return guard.protect(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach(
          (key, item) -> copy.put(guard.protect(String.valueOf(key)), guarded(item, guard)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(item -> copy.add(guarded(item, guard)));
      return copy;
    }
    return value;
  }
}
