package dev.colloquy.core.message;

import java.util.Objects;

/**
 * Instructions to the model, usually the first message of a request.
 *
 * @param text the instructions; not blank
 */
public record SystemMessage(String text) implements Message {

  /** Validates the text. */
  public SystemMessage {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("a system message must not be blank");
    }
  }

  @Override
  public Role role() {
    return Role.SYSTEM;
  }
}
