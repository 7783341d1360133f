package dev.colloquy.dsl;

import java.util.Objects;

/**
 * The text of one definition file.
 *
 * @param name the file's name in error messages
 * @param text its content
 */
public record Source(String name, String text) {
  /** Validates. */
  public Source {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
  }
}
