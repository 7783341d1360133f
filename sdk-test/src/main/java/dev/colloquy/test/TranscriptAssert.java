package dev.colloquy.test;

import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a {@link Transcript}: how many calls, which tools, how many tokens. */
public final class TranscriptAssert extends AbstractAssert<TranscriptAssert, Transcript> {

  TranscriptAssert(Transcript actual) {
    super(actual, TranscriptAssert.class);
  }

  /** Verifies the number of model calls. */
  public TranscriptAssert hasCallCount(int expected) {
    isNotNull();
    if (actual.exchanges().size() != expected) {
      failWithMessage(
          "Expected %d model calls but there were %d:%n%s",
          expected, actual.exchanges().size(), actual.render().stripTrailing());
    }
    return this;
  }

  /** Verifies some call's answer called the named tool; continues with assertions on that call. */
  public ToolCallAssert calledTool(String toolName) {
    isNotNull();
    return ToolCallAssert.find(actual.allMessages(), toolName, "the model");
  }

  /** Verifies every call together used at most this many tokens. */
  public TranscriptAssert usedAtMostTokens(long limit) {
    isNotNull();
    long used = actual.totalUsage().totalTokens();
    if (used > limit) {
      failWithMessage(
          "Expected the model calls to use at most %d tokens but they used %d (%d input, %d output)",
          limit, used, actual.totalUsage().inputTokens(), actual.totalUsage().outputTokens());
    }
    return this;
  }

  /** Starts assertions on the last request sent. */
  public ChatRequestAssert lastRequest() {
    isNotNull();
    if (actual.exchanges().isEmpty()) {
      failWithMessage("Expected a model call but there was none");
    }
    return new ChatRequestAssert(actual.exchanges().get(actual.exchanges().size() - 1).request());
  }
}
