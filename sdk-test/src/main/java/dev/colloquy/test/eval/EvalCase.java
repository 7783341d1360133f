package dev.colloquy.test.eval;

import java.util.List;
import java.util.Objects;

/**
 * One case of an evaluation: a user input and the checks its reply must pass.
 *
 * @param name the case's name in reports; not blank
 * @param input what the user says
 * @param checks the checks, at least one
 */
public record EvalCase(String name, String input, List<Check> checks) {

  /** Validates and copies the fields. */
  public EvalCase {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(input, "input");
    checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
    if (name.isBlank()) {
      throw new IllegalArgumentException("an evaluation case needs a name");
    }
    if (checks.isEmpty()) {
      throw new IllegalArgumentException("evaluation case '" + name + "' has no check");
    }
  }

  /** Creates a case. */
  public static EvalCase of(String name, String input, Check... checks) {
    return new EvalCase(name, input, List.of(checks));
  }
}
