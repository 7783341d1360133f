package dev.colloquy.dsl.ast;

import java.util.Objects;

/** A prompt written in place, or a reference to a named template. */
public sealed interface Prompt {

  /**
   * Prompt text written in place.
   *
   * @param text the text with {@code {{variable}}} placeholders
   */
  record Inline(String text) implements Prompt {
    /** Validates. */
    public Inline {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A reference to a {@code template} declaration.
   *
   * @param template the template's name
   */
  record Reference(Name template) implements Prompt {
    /** Validates. */
    public Reference {
      Objects.requireNonNull(template, "template");
    }
  }
}
