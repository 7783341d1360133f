package dev.colloquy.test;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.test.internal.json.Json;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on one {@link ToolCall}, reached from {@code calledTool(name)} on a reply, a
 * conversation or a transcript:
 *
 * <pre>{@code
 * assertThat(reply).calledTool("refund").withArgument("orderId", 1001).withResultContaining("refunded");
 * }</pre>
 */
public final class ToolCallAssert extends AbstractAssert<ToolCallAssert, ToolCall> {

  private final List<Message> context;

  ToolCallAssert(ToolCall actual, List<Message> context) {
    super(actual, ToolCallAssert.class);
    this.context = List.copyOf(context);
  }

  /**
   * Verifies the call's arguments hold {@code name} with this value; numbers compare by value, and
   * maps, lists and records compare as the JSON Jackson makes of them.
   */
  public ToolCallAssert withArgument(String name, Object expected) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expected, "expected");
    JsonNode arguments = arguments();
    JsonNode value = arguments.get(name);
    JsonNode wanted = Json.toNode(expected);
    if (value == null) {
      failWithMessage(
          "Expected tool '%s' to be called with argument %s = %s%nbut it had no argument '%s'; its arguments were%n  %s",
          actual.name(), name, Json.compact(wanted), name, actual.arguments());
    } else if (!Json.sameValue(wanted, value)) {
      failWithMessage(
          "Expected tool '%s' to be called with argument %s = %s%nbut %s was %s; its arguments were%n  %s",
          actual.name(), name, Json.compact(wanted), name, Json.compact(value), actual.arguments());
    }
    return this;
  }

  /** Verifies the call's arguments equal this JSON object exactly (numbers compared by value). */
  public ToolCallAssert withArguments(String expectedJson) {
    JsonNode wanted =
        Json.parse(Objects.requireNonNull(expectedJson, "expectedJson"))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "expected arguments are not valid JSON: " + expectedJson));
    if (!Json.sameValue(wanted, arguments())) {
      failWithMessage(
          "Expected tool '%s' to be called with arguments%n  %s%nbut they were%n  %s",
          actual.name(), Json.compact(wanted), actual.arguments());
    }
    return this;
  }

  /** Verifies the call's arguments do not hold {@code name}. */
  public ToolCallAssert withoutArgument(String name) {
    if (arguments().has(name)) {
      failWithMessage(
          "Expected tool '%s' to be called without argument '%s' but its arguments were%n  %s",
          actual.name(), name, actual.arguments());
    }
    return this;
  }

  /** Verifies the tool's result, in the same conversation, contains this text and is no error. */
  public ToolCallAssert withResultContaining(String expected) {
    ToolResultMessage result = result();
    if (result.error() || !result.text().contains(expected)) {
      failWithMessage(
          "Expected the result of tool '%s' (call %s) to contain%n  \"%s\"%nbut it was%s%n  \"%s\"",
          actual.name(), actual.id(), expected, result.error() ? " an error" : "", result.text());
    }
    return this;
  }

  private ToolResultMessage result() {
    for (Message message : context) {
      if (message instanceof ToolResultMessage r && r.toolCallId().equals(actual.id())) {
        return r;
      }
    }
    failWithMessage(
        "Expected a result of tool '%s' (call %s) but the conversation holds none:%n%s",
        actual.name(), actual.id(), Transcripts.render(context));
    throw new IllegalStateException("unreachable");
  }

  private JsonNode arguments() {
    isNotNull();
    JsonNode node = Json.parse(actual.arguments()).orElse(null);
    if (node == null || !node.isObject()) {
      failWithMessage(
          "Expected tool '%s' to be called with a JSON object of arguments but they were%n  %s",
          actual.name(), actual.arguments());
    }
    return node;
  }

  /** Finds the first call of {@code name} in the messages, failing with what was called instead. */
  static ToolCallAssert find(List<Message> messages, String name, String where) {
    Objects.requireNonNull(name, "name");
    List<ToolCall> calls = Transcripts.toolCalls(messages);
    for (ToolCall call : calls) {
      if (call.name().equals(name)) {
        return new ToolCallAssert(call, messages);
      }
    }
    throw new AssertionError(
        String.format(
                "Expected %s to call tool '%s' but %s%n%s",
                where,
                name,
                calls.isEmpty()
                    ? "it called no tool:"
                    : "it called " + calls.stream().map(ToolCall::name).toList() + ":",
                Transcripts.render(messages))
            .stripTrailing());
  }
}
