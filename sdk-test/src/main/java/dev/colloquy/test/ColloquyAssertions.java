package dev.colloquy.test;

import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;

/**
 * Entry point of Colloquy's AssertJ assertions. Import statically beside AssertJ's own:
 *
 * <pre>{@code
 * import static dev.colloquy.test.ColloquyAssertions.assertThat;
 *
 * assertThat(model.lastRequest()).hasSystemPromptContaining("Acme").offersTool("orderStatus");
 * }</pre>
 */
public final class ColloquyAssertions {

  private ColloquyAssertions() {
  }

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
}
