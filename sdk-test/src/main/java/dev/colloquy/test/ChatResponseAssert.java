package dev.colloquy.test;

import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a {@link ChatResponse}. */
public final class ChatResponseAssert extends AbstractAssert<ChatResponseAssert, ChatResponse> {

  ChatResponseAssert(ChatResponse actual) {
    super(actual, ChatResponseAssert.class);
  }

  /** Verifies the reply's text equals the given text. */
  public ChatResponseAssert hasText(String expected) {
    isNotNull();
    if (!actual.text().equals(expected)) {
      failWithMessage(
          "Expected the reply text to be%n  \"%s\"%nbut was%n  \"%s\"", expected, actual.text());
    }
    return this;
  }

  /** Verifies the reply's text contains the given text. */
  public ChatResponseAssert hasTextContaining(String expected) {
    isNotNull();
    if (!actual.text().contains(expected)) {
      failWithMessage(
          "Expected the reply text to contain%n  \"%s\"%nbut was%n  \"%s\"",
          expected, actual.text());
    }
    return this;
  }

  /** Verifies why generation stopped. */
  public ChatResponseAssert hasFinishReason(FinishReason expected) {
    isNotNull();
    if (actual.finishReason() != expected) {
      failWithMessage("Expected finish reason %s but was %s", expected, actual.finishReason());
    }
    return this;
  }

  /** Verifies the reply holds a call of the named tool. */
  public ChatResponseAssert hasToolCall(String toolName) {
    isNotNull();
    for (ToolCall call : actual.message().toolCalls()) {
      if (call.name().equals(toolName)) {
        return this;
      }
    }
    failWithMessage(
        "Expected a call of tool '%s' but the reply called %s",
        toolName, actual.message().toolCalls().stream().map(ToolCall::name).toList());
    return this;
  }

  /** Verifies the reply holds no tool call. */
  public ChatResponseAssert hasNoToolCalls() {
    isNotNull();
    if (actual.message().hasToolCalls()) {
      failWithMessage(
          "Expected no tool calls but the reply called %s",
          actual.message().toolCalls().stream().map(ToolCall::name).toList());
    }
    return this;
  }

  /** Verifies the reported token usage. */
  public ChatResponseAssert hasUsage(long inputTokens, long outputTokens) {
    isNotNull();
    if (actual.usage().inputTokens() != inputTokens
        || actual.usage().outputTokens() != outputTokens) {
      failWithMessage(
          "Expected usage of %d input and %d output tokens but was %s",
          inputTokens, outputTokens, actual.usage());
    }
    return this;
  }
}
