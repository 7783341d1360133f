package dev.colloquy.dsl.ast;

/**
 * A reference by name to something declared in the files or bound by the application (a tool, a
 * function, an agent, a template).
 *
 * @param value the name as written
 */
public record Name(String value) {
  /** Validates. */
  public Name {
    Identifiers.check(value, "name");
  }

  @Override
  public String toString() {
    return value;
  }
}
