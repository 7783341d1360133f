package dev.colloquy.core.internal.trace;

import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.tool.ToolException;
import dev.colloquy.core.tool.ToolExecution;
import dev.colloquy.core.tool.ToolFailure;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The {@code execute_tool} spans of tool calls. */
public final class ToolSpans {

  // A model may ask for a tool that does not exist: its name must not become a meter tag.
  private static final String UNKNOWN = "_unknown";

  private ToolSpans() {}

  /**
   * Starts the span of one call under a parent (the turn's span, usually).
   *
   * @param known whether the toolbox has a tool of this name
   */
  public static TraceSpan start(TraceSpan parent, ToolCall call, boolean known) {
    TraceSpan span =
        parent.child(
            SpanKind.TOOL,
            GenAi.OBSERVE_TOOL,
            "execute_tool " + call.name(),
            Map.of(
                GenAi.OPERATION_NAME,
                "execute_tool",
                GenAi.TOOL_NAME,
                known ? call.name() : UNKNOWN));
    span.tag(GenAi.TOOL_CALL_ID, call.id());
    span.tag(GenAi.TOOL_TYPE, "function");
    if (span.capturesContent()) {
      span.tag(GenAi.TOOL_ARGUMENTS, span.content(call.arguments()));
    }
    return span;
  }

  /**
   * Ends a call's span with its outcome. A failure is recorded by its kind only: the tool's own
   * exception message could hold anything, so it is part of the result, recorded with content.
   */
  public static void finish(TraceSpan span, ToolExecution execution) {
    try {
      if (span.capturesContent()) {
        span.tag(GenAi.TOOL_RESULT, span.content(execution.result()));
      }
      if (execution.failure().isPresent()) {
        ToolFailure failure = execution.failure().get();
        ToolCall call = execution.call();
        span.fail(
            new ToolException(
                failure,
                "tool '" + call.name() + "' call " + call.id() + " ended as " + failure,
                null));
        span.tag(GenAi.ERROR_TYPE, failure.name().toLowerCase(Locale.ROOT));
      }
    } finally {
      span.end();
    }
  }

  /** Runs a tool step of a chain in its span on this thread; its failure propagates. */
  public static String run(TraceSpan parent, ToolCall call, Supplier<String> invocation) {
    TraceSpan span = start(parent, call, true);
    try {
      String result;
      TraceSpan.Scope scope = span.makeCurrent();
      try {
        result = invocation.get();
      } finally {
        scope.close();
      }
      if (span.capturesContent()) {
        span.tag(GenAi.TOOL_RESULT, span.content(result));
      }
      return result;
    } catch (RuntimeException | Error e) {
      span.fail(e);
      throw e;
    } finally {
      span.end();
    }
  }
}
