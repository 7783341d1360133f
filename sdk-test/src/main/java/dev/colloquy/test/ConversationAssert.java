package dev.colloquy.test;

import dev.colloquy.core.message.Message;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the messages of a conversation: what an agent's memory holds, or what a
 * turn added. Failures show the whole conversation.
 *
 * <pre>{@code
 * assertThatMemory(agent.memory(), "customer-42")
 *     .hasRoles(USER, ASSISTANT, TOOL, ASSISTANT)
 *     .calledTool("refund").withArgument("orderId", 1001);
 * }</pre>
 */
public final class ConversationAssert extends AbstractAssert<ConversationAssert, List<Message>> {

  private final String name;

  ConversationAssert(List<Message> actual, String name) {
    super(List.copyOf(actual), ConversationAssert.class);
    this.name = name;
  }

  /** Verifies the number of messages. */
  public ConversationAssert hasSize(int expected) {
    if (actual.size() != expected) {
      failWithMessage(
          "Expected %s to hold %d messages but it holds %d:%n%s",
          name, expected, actual.size(), render());
    }
    return this;
  }

  /** Verifies the conversation holds no message. */
  public ConversationAssert isEmpty() {
    if (!actual.isEmpty()) {
      failWithMessage("Expected %s to be empty but it holds:%n%s", name, render());
    }
    return this;
  }

  /** Verifies the roles of the messages, in order. */
  public ConversationAssert hasRoles(Message.Role... expected) {
    List<Message.Role> roles = actual.stream().map(Message::role).toList();
    if (!roles.equals(Arrays.asList(expected))) {
      failWithMessage(
          "Expected %s to have roles %s but they were %s:%n%s",
          name, Arrays.asList(expected), roles, render());
    }
    return this;
  }

  /** Verifies the texts of the messages, in order. */
  public ConversationAssert hasTexts(String... expected) {
    List<String> texts = actual.stream().map(Message::text).toList();
    if (!texts.equals(Arrays.asList(expected))) {
      failWithMessage(
          "Expected %s to have texts %s but they were %s", name, Arrays.asList(expected), texts);
    }
    return this;
  }

  /** Verifies some message of the given role contains the text. */
  public ConversationAssert containsMessage(Message.Role role, String textPart) {
    if (actual.stream().noneMatch(m -> m.role() == role && m.text().contains(textPart))) {
      failWithMessage(
          "Expected %s to hold a %s message containing%n  \"%s\"%nbut it holds:%n%s",
          name, role.name().toLowerCase(java.util.Locale.ROOT), textPart, render());
    }
    return this;
  }

  /**
   * Verifies no message contains the text, whatever its role: for secrets that must not be kept.
   */
  public ConversationAssert doesNotContainText(String textPart) {
    for (Message m : actual) {
      if (m.text().contains(textPart)) {
        failWithMessage(
            "Expected %s not to contain%n  \"%s\"%nbut a %s message does:%n%s",
            name, textPart, m.role().name().toLowerCase(java.util.Locale.ROOT), render());
      }
    }
    return this;
  }

  /** Verifies the text of the last assistant message. */
  public ConversationAssert hasLastAssistantText(String expected) {
    String last = null;
    for (Message m : actual) {
      if (m.role() == Message.Role.ASSISTANT) {
        last = m.text();
      }
    }
    if (!expected.equals(last)) {
      failWithMessage(
          "Expected the last assistant message of %s to be%n  \"%s\"%nbut it was%n  %s",
          name, expected, last == null ? "(none)" : "\"" + last + "\"");
    }
    return this;
  }

  /**
   * Verifies some assistant message calls the named tool; continues with assertions on that call.
   */
  public ToolCallAssert calledTool(String toolName) {
    isNotNull();
    return ToolCallAssert.find(actual, toolName, name);
  }

  /** Verifies no assistant message calls a tool. */
  public ConversationAssert calledNoTools() {
    if (!Transcripts.toolCalls(actual).isEmpty()) {
      failWithMessage("Expected %s to call no tool but it did:%n%s", name, render());
    }
    return this;
  }

  private String render() {
    return Transcripts.render(actual).stripTrailing();
  }
}
