package dev.colloquy.core.memory;

import dev.colloquy.core.RetryableException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes the summary that replaces the turns a window lets go of, so that a long conversation keeps
 * its facts in a few sentences. The summary is kept as a system message starting with {@link
 * #PREFIX}; the next summary is made from it and the turns dropped after it.
 */
@FunctionalInterface
public interface Summarizer {

  /** How a summary message starts; a system message starting so is taken for the summary. */
  String PREFIX = "Summary of the earlier conversation: ";

  /**
   * Returns a summary of messages, oldest first (the previous summary, if any, comes first).
   *
   * @param older the messages the window drops
   * @throws dev.colloquy.core.ColloquyException when the summary cannot be made; the commit then
   *     fails and the memory is left as it was
   */
  String summarize(List<Message> older);

  /**
   * Returns a summarizer that asks a model (often a cheaper one than the agent's) for a summary of
   * at most about {@code maxTokens} tokens, at temperature 0.
   *
   * @param model the model that writes the summaries
   * @param maxTokens the longest summary, at least 16
   */
  static Summarizer using(ChatModel model, int maxTokens) {
    Objects.requireNonNull(model, "model");
    if (maxTokens < 16) {
      throw new IllegalArgumentException("maxTokens must be at least 16, was " + maxTokens);
    }
    return older -> {
      StringBuilder transcript = new StringBuilder();
      for (Message m : older) {
        transcript.append(line(m)).append('\n');
      }
      ChatRequest request =
          new ChatRequest(
              List.of(
                  new SystemMessage(
                      "Summarize the conversation below for the assistant who will continue it."
                          + " Keep every fact, name, number, date, decision and open question;"
                          + " leave out greetings. Write at most "
                          + maxTokens * 3 / 4
                          + " words, in the conversation's language, as plain sentences."),
                  Message.user(transcript.toString())),
              List.of(),
              ChatOptions.builder().temperature(0).maxTokens(maxTokens).build());
      String text = model.chat(request).message().text().strip();
      if (text.isEmpty()) {
        throw new RetryableException("the summarizing model answered with an empty summary");
      }
      return text;
    };
  }

  private static String line(Message m) {
    if (m instanceof SystemMessage s) {
      return s.text().startsWith(PREFIX) ? s.text() : "(instructions) " + s.text();
    }
    if (m instanceof AssistantMessage a && a.hasToolCalls()) {
      StringBuilder b = new StringBuilder("assistant: ").append(a.text());
      for (ToolCall call : a.toolCalls()) {
        b.append(" [called ").append(call.name()).append(' ').append(call.arguments()).append(']');
      }
      return b.toString();
    }
    if (m instanceof ToolResultMessage r) {
      return "tool " + r.toolName() + (r.error() ? " failed: " : " returned: ") + r.text();
    }
    return m.role().name().toLowerCase(Locale.ROOT) + ": " + m.text();
  }
}
