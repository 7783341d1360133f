package dev.colloquy.dsl;

import dev.colloquy.core.NonRetryableException;
import java.util.List;

/**
 * The definition files have errors. The only exception the DSL throws for bad input, whatever the
 * input: its message lists every error found, each formatted as by {@link Diagnostic#format()},
 * followed by a count.
 *
 * <p>Non-retryable: loading the same files again fails again.
 */
public final class DslException extends NonRetryableException {
  private static final long serialVersionUID = 1L;

  /** The most errors reported for one load; more are counted but not listed. */
  public static final int MAX_REPORTED = 100;

  private final transient List<Diagnostic> diagnostics;

  /**
   * Makes the exception.
   *
   * @param diagnostics the errors, at least one
   */
  public DslException(List<Diagnostic> diagnostics) {
    super(render(diagnostics));
    this.diagnostics = List.copyOf(diagnostics);
  }

  /** Returns the errors, in file and position order. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  private static String render(List<Diagnostic> diagnostics) {
    if (diagnostics.isEmpty()) {
      throw new IllegalArgumentException("a DslException needs at least one diagnostic");
    }
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      out.append(d.format()).append("\n\n");
    }
    int count = diagnostics.size();
    out.append(count == 1 ? "1 error" : count + " errors");
    if (count >= MAX_REPORTED) {
      out.append(" (stopped after ").append(MAX_REPORTED).append(')');
    }
    return out.toString();
  }
}
