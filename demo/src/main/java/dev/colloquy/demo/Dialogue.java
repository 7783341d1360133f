package dev.colloquy.demo;

import dev.colloquy.core.message.Message;
import java.util.List;
import java.util.Objects;

/**
 * One generated conversation of the demo shop.
 *
 * @param language the language it is in
 * @param intents the intent of each user turn, in order
 * @param messages the conversation: a system message, then user turns, tool calls and results,
 *     answers
 */
public record Dialogue(Language language, List<Intent> intents, List<Message> messages) {

  /** Validates and copies the fields. */
  public Dialogue {
    Objects.requireNonNull(language, "language");
    intents = List.copyOf(intents);
    messages = List.copyOf(messages);
  }
}
