package dev.colloquy.core.cache;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ToolSpecification;
import java.util.Comparator;
import java.util.List;

/**
 * The normalized request a cached response answers. Messages keep their order (it matters to the
 * model); tools are sorted by name (their order does not); JSON schemas compare as JSON values, so
 * the order of their fields does not matter either; options compare setting by setting.
 */
record CacheKey(
    String scope,
    String model,
    List<Message> messages,
    List<ToolSpecification> tools,
    ChatOptions options) {

  static CacheKey of(String scope, String model, ChatRequest request) {
    List<ToolSpecification> tools =
        request.tools().size() < 2
            ? request.tools()
            : request.tools().stream()
                .sorted(Comparator.comparing(ToolSpecification::name))
                .toList();
    return new CacheKey(scope, model, request.messages(), tools, request.options());
  }

  @Override
  public String toString() {
    // Keys hold whole conversations: never print them.
    return "CacheKey[scope=" + scope + ", model=" + model + ", messages=" + messages.size() + "]";
  }
}
