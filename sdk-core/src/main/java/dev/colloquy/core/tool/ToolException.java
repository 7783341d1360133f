package dev.colloquy.core.tool;

import dev.colloquy.core.NonRetryableException;
import java.util.Objects;

/**
 * A tool call failure that the agent's policy turns into an exception instead of an error result.
 */
public class ToolException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  private final ToolFailure failure;

  /**
   * @param failure the kind of failure
   * @param message what failed, naming the tool and call id
   * @param cause the tool's own exception, or {@code null}
   */
  public ToolException(ToolFailure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /** Returns the kind of failure. */
  public ToolFailure failure() {
    return failure;
  }
}
