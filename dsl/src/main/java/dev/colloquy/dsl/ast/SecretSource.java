package dev.colloquy.dsl.ast;

import java.util.Objects;

/** Where a secret's value comes from. */
public sealed interface SecretSource {

  /**
   * {@code env "SHOP_API_KEY"}: an environment variable, read when the definitions compile.
   *
   * @param variable the environment variable's name
   */
  record Environment(String variable) implements SecretSource {
    /** Validates. */
    public Environment {
      Objects.requireNonNull(variable, "variable");
    }
  }

  /**
   * {@code "sk-..."}: a value written in the file (discouraged; prefer {@link Environment}).
   * {@link #toString()} does not show it.
   *
   * @param value the secret value
   */
  record Inline(String value) implements SecretSource {
    /** Validates. */
    public Inline {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "Inline[value=***]";
    }
  }
}
