package dev.colloquy.core.tool;

import dev.colloquy.core.message.ToolCall;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What happened to one tool call: for listeners. Immutable. */
public final class ToolExecution {

  private final ToolCall call;
  private final String result;
  private final ToolFailure failure;
  private final Duration duration;

  private ToolExecution(ToolCall call, String result, ToolFailure failure, Duration duration) {
    this.call = Objects.requireNonNull(call, "call");
    this.result = Objects.requireNonNull(result, "result");
    this.failure = failure;
    this.duration = Objects.requireNonNull(duration, "duration");
  }

  /** Creates the record of a call that succeeded. */
  public static ToolExecution succeeded(ToolCall call, String result, Duration duration) {
    return new ToolExecution(call, result, null, duration);
  }

  /** Creates the record of a call that failed. */
  public static ToolExecution failed(
      ToolCall call, ToolFailure failure, String message, Duration duration) {
    return new ToolExecution(call, message, Objects.requireNonNull(failure, "failure"), duration);
  }

  /** Returns the call, with its arguments. */
  public ToolCall call() {
    return call;
  }

  /** Returns the text sent back to the model: the result, or the error description. */
  public String result() {
    return result;
  }

  /** Returns why the call failed, if it did. */
  public Optional<ToolFailure> failure() {
    return Optional.ofNullable(failure);
  }

  /** Returns how long the call took; zero when the tool did not run. */
  public Duration duration() {
    return duration;
  }

  /** Returns whether the call succeeded. */
  public boolean succeeded() {
    return failure == null;
  }

  @Override
  public String toString() {
    return "ToolExecution["
        + call.name()
        + "#"
        + call.id()
        + (failure == null ? "" : " " + failure)
        + ", "
        + duration.toMillis()
        + " ms]";
  }
}
