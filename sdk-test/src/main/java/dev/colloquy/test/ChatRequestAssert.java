package dev.colloquy.test;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ResponseFormat;
import dev.colloquy.core.model.ToolChoice;
import dev.colloquy.core.model.ToolSpecification;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a {@link ChatRequest}: what a model was asked. */
public final class ChatRequestAssert extends AbstractAssert<ChatRequestAssert, ChatRequest> {

  ChatRequestAssert(ChatRequest actual) {
    super(actual, ChatRequestAssert.class);
  }

  /** Verifies the request starts with exactly this system prompt. */
  public ChatRequestAssert hasSystemPrompt(String expected) {
    String system = systemPrompt().orElse(null);
    if (!expected.equals(system)) {
      failWithMessage(
          "Expected the system prompt%n  \"%s\"%nbut it was%n  %s%nin request:%n%s",
          expected, system == null ? "(none)" : "\"" + system + "\"", Transcripts.render(actual));
    }
    return this;
  }

  /** Verifies the request's system prompt contains the given text. */
  public ChatRequestAssert hasSystemPromptContaining(String expected) {
    String system = systemPrompt().orElse(null);
    if (system == null || !system.contains(expected)) {
      failWithMessage(
          "Expected the system prompt to contain%n  \"%s\"%nbut it was%n  %s",
          expected, system == null ? "(none)" : "\"" + system + "\"");
    }
    return this;
  }

  /** Verifies the request has no system prompt. */
  public ChatRequestAssert hasNoSystemPrompt() {
    systemPrompt()
        .ifPresent(s -> failWithMessage("Expected no system prompt but it was%n  \"%s\"", s));
    return this;
  }

  /** Verifies the text of the last user message. */
  public ChatRequestAssert hasLastUserText(String expected) {
    isNotNull();
    if (!actual.lastUserText().equals(expected)) {
      failWithMessage(
          "Expected the last user message%n  \"%s\"%nbut it was%n  \"%s\"",
          expected, actual.lastUserText());
    }
    return this;
  }

  /** Verifies the roles of the messages, in order. */
  public ChatRequestAssert hasRoles(Message.Role... expected) {
    isNotNull();
    List<Message.Role> roles = actual.messages().stream().map(Message::role).toList();
    if (!roles.equals(Arrays.asList(expected))) {
      failWithMessage(
          "Expected message roles %s but were %s in request:%n%s",
          Arrays.asList(expected), roles, Transcripts.render(actual));
    }
    return this;
  }

  /** Verifies the texts of the messages, in order. */
  public ChatRequestAssert hasMessageTexts(String... expected) {
    isNotNull();
    List<String> texts = actual.messages().stream().map(Message::text).toList();
    if (!texts.equals(Arrays.asList(expected))) {
      failWithMessage("Expected message texts %s but were %s", Arrays.asList(expected), texts);
    }
    return this;
  }

  /** Verifies the request offers the named tool. */
  public ChatRequestAssert offersTool(String name) {
    isNotNull();
    if (actual.tools().stream().noneMatch(t -> t.name().equals(name))) {
      failWithMessage(
          "Expected tool '%s' to be offered but the tools were %s",
          name, actual.tools().stream().map(ToolSpecification::name).toList());
    }
    return this;
  }

  /** Verifies the request offers no tool. */
  public ChatRequestAssert offersNoTools() {
    isNotNull();
    if (!actual.tools().isEmpty()) {
      failWithMessage(
          "Expected no tools but the request offered %s",
          actual.tools().stream().map(ToolSpecification::name).toList());
    }
    return this;
  }

  /** Verifies the request's temperature. */
  public ChatRequestAssert hasTemperature(double expected) {
    isNotNull();
    if (actual.options().temperature().isEmpty()
        || actual.options().temperature().getAsDouble() != expected) {
      failWithMessage(
          "Expected temperature %s but the options were %s", expected, actual.options());
    }
    return this;
  }

  /** Verifies the request offers exactly these tools, in any order. */
  public ChatRequestAssert offersExactlyTools(String... names) {
    isNotNull();
    List<String> offered = actual.tools().stream().map(ToolSpecification::name).sorted().toList();
    List<String> expected = Arrays.stream(names).sorted().toList();
    if (!offered.equals(expected)) {
      failWithMessage(
          "Expected the tools %s to be offered but the request offered %s", expected, offered);
    }
    return this;
  }

  /** Verifies the named tool's parameter schema declares the property. */
  public ChatRequestAssert offersToolWithParameter(String toolName, String parameter) {
    offersTool(toolName);
    ToolSpecification tool =
        actual.tools().stream().filter(t -> t.name().equals(toolName)).findFirst().orElseThrow();
    if (!tool.parameters().propertyNames().contains(parameter)) {
      failWithMessage(
          "Expected tool '%s' to take parameter '%s' but its schema was%n  %s",
          toolName, parameter, tool.parameters());
    }
    return this;
  }

  /** Verifies the request's maximum number of tokens. */
  public ChatRequestAssert hasMaxTokens(int expected) {
    isNotNull();
    if (actual.options().maxTokens().isEmpty()
        || actual.options().maxTokens().getAsInt() != expected) {
      failWithMessage("Expected maxTokens %s but the options were %s", expected, actual.options());
    }
    return this;
  }

  /** Verifies the request's sampling seed. */
  public ChatRequestAssert hasSeed(long expected) {
    isNotNull();
    if (actual.options().seed().isEmpty() || actual.options().seed().getAsLong() != expected) {
      failWithMessage("Expected seed %s but the options were %s", expected, actual.options());
    }
    return this;
  }

  /** Verifies the request's response format, such as {@code ResponseFormat.json()}. */
  public ChatRequestAssert hasResponseFormat(ResponseFormat expected) {
    isNotNull();
    if (!actual.options().responseFormat().equals(expected)) {
      failWithMessage(
          "Expected response format %s but the options were %s", expected, actual.options());
    }
    return this;
  }

  /** Verifies the request's tool choice, such as {@code ToolChoice.tool("refund")}. */
  public ChatRequestAssert hasToolChoice(ToolChoice expected) {
    isNotNull();
    if (!actual.options().toolChoice().equals(expected)) {
      failWithMessage(
          "Expected tool choice %s but the options were %s", expected, actual.options());
    }
    return this;
  }

  /** Verifies the request's stop sequences, in order. */
  public ChatRequestAssert hasStopSequences(String... expected) {
    isNotNull();
    if (!actual.options().stop().equals(Arrays.asList(expected))) {
      failWithMessage(
          "Expected stop sequences %s but the options were %s",
          Arrays.asList(expected), actual.options());
    }
    return this;
  }

  /** Starts assertions on the request's messages, the conversation the model saw. */
  public ConversationAssert messages() {
    isNotNull();
    return new ConversationAssert(actual.messages(), "the request");
  }

  private Optional<String> systemPrompt() {
    isNotNull();
    Message first = actual.messages().get(0);
    return first.role() == Message.Role.SYSTEM ? Optional.of(first.text()) : Optional.empty();
  }
}
