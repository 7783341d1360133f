package dev.colloquy.dsl.ast;

import java.util.Objects;

/** Where a secret's value comes from. */
public sealed interface SecretSource {

  /**
   * {@code env "SHOP_API_KEY"}: an environment variable, read when the definitions compile.
   *
   * @param variable the environment variable's name: a letter or {@code _} followed by letters,
   *     digits or {@code _} (anything else could be the value itself, written where the name goes,
   *     and a name is shown in messages)
   */
  record Environment(String variable) implements SecretSource {
    /**
     * Validates.
     *
     * @throws IllegalArgumentException when {@code variable} is not a name; the message does not
     *     repeat it
     */
    public Environment {
      Objects.requireNonNull(variable, "variable");
      if (!Identifiers.isIdentifier(variable)) {
        throw new IllegalArgumentException(
            "an environment variable's name must be a letter or `_` followed by letters, digits or `_`");
      }
    }
  }

  /**
   * {@code "sk-..."}: a value written in the file (discouraged; prefer {@link Environment}). {@link
   * #toString()} does not show it, and the printer writes {@link #PLACEHOLDER} in its place.
   *
   * @param value the secret value
   */
  record Inline(String value) implements SecretSource {
    /**
     * What the printer writes instead of an inline value; loading a file whose secret is this
     * placeholder fails, so a printed file never runs with a lost secret.
     */
    public static final String PLACEHOLDER = "***";

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
