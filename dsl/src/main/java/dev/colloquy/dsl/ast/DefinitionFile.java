package dev.colloquy.dsl.ast;

import java.util.List;
import java.util.Objects;

/**
 * One definition file: its name (as shown in error messages) and its declarations in order.
 *
 * @param name the file's name, such as {@code support.colloquy}
 * @param declarations the declarations, in source order
 */
public record DefinitionFile(String name, List<Declaration> declarations) {
  /** Validates and copies. */
  public DefinitionFile {
    Objects.requireNonNull(name, "name");
    declarations = List.copyOf(declarations);
  }
}
