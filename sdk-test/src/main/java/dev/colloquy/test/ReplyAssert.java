package dev.colloquy.test;

import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.test.internal.json.JsonShape;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on an agent's {@link Reply}: its text, the tools it called, its usage. */
public final class ReplyAssert extends AbstractAssert<ReplyAssert, Reply> {

  ReplyAssert(Reply actual) {
    super(actual, ReplyAssert.class);
  }

  /** Verifies the reply's text. */
  public ReplyAssert hasText(String expected) {
    isNotNull();
    if (!actual.text().equals(expected)) {
      failWithMessage("Expected the reply%n  \"%s\"%nbut was%n  \"%s\"", expected, actual.text());
    }
    return this;
  }

  /** Verifies the reply's text contains the given text. */
  public ReplyAssert hasTextContaining(String expected) {
    isNotNull();
    if (!actual.text().contains(expected)) {
      failWithMessage(
          "Expected the reply to contain%n  \"%s\"%nbut was%n  \"%s\"", expected, actual.text());
    }
    return this;
  }

  /** Verifies the reply's text contains a match of the regular expression. */
  public ReplyAssert hasTextMatching(String regex) {
    isNotNull();
    if (!Pattern.compile(regex).matcher(actual.text()).find()) {
      failWithMessage(
          "Expected the reply to match%n  /%s/%nbut was%n  \"%s\"", regex, actual.text());
    }
    return this;
  }

  /**
   * Verifies the reply's text is JSON of the given shape: a JSON document whose leaves name types
   * ({@code "string"}, {@code "number"}, {@code "integer"}, {@code "boolean"}, {@code "null"},
   * {@code "any"}), such as {@code {"orderId": "integer", "items": ["string"]}}. Extra fields are
   * allowed.
   */
  public ReplyAssert hasJsonShape(String shape) {
    isNotNull();
    JsonShape.check(shape, actual.text())
        .ifPresent(
            problem ->
                failWithMessage(
                    "Expected the reply to be JSON of shape%n  %s%nbut %s; the reply was%n  \"%s\"",
                    shape, problem, actual.text()));
    return this;
  }

  /** Verifies why the final model call stopped. */
  public ReplyAssert hasFinishReason(FinishReason expected) {
    isNotNull();
    if (actual.finishReason() != expected) {
      failWithMessage("Expected finish reason %s but was %s", expected, actual.finishReason());
    }
    return this;
  }

  /** Verifies the tokens all model calls of the turn used. */
  public ReplyAssert hasUsage(long inputTokens, long outputTokens) {
    isNotNull();
    if (actual.usage().inputTokens() != inputTokens
        || actual.usage().outputTokens() != outputTokens) {
      failWithMessage(
          "Expected usage of %d input and %d output tokens but was %d input and %d output",
          inputTokens, outputTokens, actual.usage().inputTokens(), actual.usage().outputTokens());
    }
    return this;
  }

  /** Verifies the turn used at most this many tokens, input and output together. */
  public ReplyAssert usedAtMostTokens(long limit) {
    isNotNull();
    if (actual.usage().totalTokens() > limit) {
      failWithMessage(
          "Expected the turn to use at most %d tokens but it used %d (%d input, %d output)",
          limit,
          actual.usage().totalTokens(),
          actual.usage().inputTokens(),
          actual.usage().outputTokens());
    }
    return this;
  }

  /** Verifies the roles of the messages the turn added, in order. */
  public ReplyAssert addedRoles(Message.Role... expected) {
    isNotNull();
    List<Message.Role> roles = actual.messages().stream().map(Message::role).toList();
    if (!roles.equals(Arrays.asList(expected))) {
      failWithMessage(
          "Expected the turn to add %s but it added%n%s",
          Arrays.asList(expected), Transcripts.render(actual.messages()));
    }
    return this;
  }

  /** Verifies the turn called the named tool; continues with assertions on that call. */
  public ToolCallAssert calledTool(String toolName) {
    isNotNull();
    return ToolCallAssert.find(actual.messages(), toolName, "the turn");
  }

  /** Verifies the turn called no tool. */
  public ReplyAssert calledNoTools() {
    isNotNull();
    new ConversationAssert(actual.messages(), "the turn").calledNoTools();
    return this;
  }
}
