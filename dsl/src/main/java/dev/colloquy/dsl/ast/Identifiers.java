package dev.colloquy.dsl.ast;

import java.util.Objects;

/** Checks that names in a tree can be written in a file, so every tree can be printed. */
final class Identifiers {
  private Identifiers() {}

  static String check(String value, String what) {
    Objects.requireNonNull(value, what);
    if (!isIdentifier(value)) {
      throw new IllegalArgumentException(
          what
              + " must be a letter or `_` followed by letters, digits or `_`, was '"
              + value
              + "'");
    }
    return value;
  }

  // A loop, not a regular expression: every node of every parsed file passes through here.
  static boolean isIdentifier(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }
}
