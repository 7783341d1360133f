package dev.colloquy.core.message;

import java.util.Objects;

/**
 * A turn of the human user. Its text is sent as is: it is never rendered as a template.
 *
 * @param text what the user said; not empty
 */
public record UserMessage(String text) implements Message {

  /** Validates the text. */
  public UserMessage {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("a user message must not be empty");
    }
  }

  @Override
  public Role role() {
    return Role.USER;
  }
}
