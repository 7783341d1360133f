package dev.colloquy.dsl.ast;

import java.util.Objects;
import java.util.regex.Pattern;

/** Checks that names in a tree can be written in a file, so every tree can be printed. */
final class Identifiers {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Identifiers() {
  }

  static String check(String value, String what) {
    Objects.requireNonNull(value, what);
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be a letter or `_` followed by letters, digits or `_`, was '" + value + "'");
    }
    return value;
  }
}
