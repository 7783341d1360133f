package dev.colloquy.test;

import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import java.util.List;
import java.util.Objects;

/**
 * Entry point of Colloquy's AssertJ assertions, and of all of AssertJ's: it extends AssertJ's
 * {@link org.assertj.core.api.Assertions}, so one static import serves both and a star import hides
 * nothing.
 *
 * <pre>{@code
 * import static dev.colloquy.test.ColloquyAssertions.*;
 *
 * assertThat(model.lastRequest()).hasSystemPromptContaining("Acme").offersTool("orderStatus");
 * assertThat(reply.text()).startsWith("Your order");   // AssertJ's own
 * }</pre>
 */
public final class ColloquyAssertions extends org.assertj.core.api.Assertions {

  private ColloquyAssertions() {}

  /** Starts assertions on a model's response. */
  public static ChatResponseAssert assertThat(ChatResponse actual) {
    return new ChatResponseAssert(actual);
  }

  /** Starts assertions on a request a model received. */
  public static ChatRequestAssert assertThat(ChatRequest actual) {
    return new ChatRequestAssert(actual);
  }

  /** Starts assertions on an agent's reply. */
  public static ReplyAssert assertThat(Reply actual) {
    return new ReplyAssert(actual);
  }

  /** Starts assertions on a transcript of model calls. */
  public static TranscriptAssert assertThat(Transcript actual) {
    return new TranscriptAssert(actual);
  }

  /**
   * Starts assertions on a list of messages. Named apart from {@code assertThat} so that it does
   * not clash with AssertJ's {@code assertThat(List)}.
   */
  public static ConversationAssert assertThatConversation(List<Message> actual) {
    return new ConversationAssert(Objects.requireNonNull(actual, "actual"), "the conversation");
  }

  /** Starts assertions on what a memory holds for one conversation. */
  public static ConversationAssert assertThatMemory(ChatMemory memory, String conversationId) {
    return new ConversationAssert(
        memory.messages(conversationId), "memory of conversation '" + conversationId + "'");
  }
}
