package dev.colloquy.test;

import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.Message;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on an agent's {@link Reply}. */
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

  /** Verifies the roles of the messages the turn added, in order. */
  public ReplyAssert addedRoles(Message.Role... expected) {
    isNotNull();
    List<Message.Role> roles = actual.messages().stream().map(Message::role).toList();
    if (!roles.equals(Arrays.asList(expected))) {
      failWithMessage("Expected the turn to add %s but it added%n%s", Arrays.asList(expected),
          Transcripts.render(actual.messages()));
    }
    return this;
  }
}
