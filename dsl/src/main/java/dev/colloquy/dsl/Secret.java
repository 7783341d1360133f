package dev.colloquy.dsl;

import java.util.Objects;

/**
 * A secret declared in a definition file ({@code secret shop_key = env "SHOP_API_KEY"}). Its {@link
 * #toString()} never shows the value, so logging a secret is harmless.
 */
public final class Secret {
  private final String name;
  private final String value;

  Secret(String name, String value) {
    this.name = Objects.requireNonNull(name, "name");
    this.value = Objects.requireNonNull(value, "value");
  }

  /** Returns the secret's name. */
  public String name() {
    return name;
  }

  /** Returns the secret's value: hand it to the code that needs it, and nowhere else. */
  public String reveal() {
    return value;
  }

  /** Returns {@code Secret[name=..., value=***]}. */
  @Override
  public String toString() {
    return "Secret[name=" + name + ", value=***]";
  }
}
