package dev.colloquy.core.tool;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.internal.trace.ToolSpans;
import dev.colloquy.core.internal.trace.TraceSpan;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The tool state of one turn: runs the calls of each model reply and remembers what the turn has
 * spent (tool calls) and refused (denied calls).
 *
 * <p>Per call, in this order: cancellation, the call budget, the tool's existence, the allow-list,
 * the arguments against the schema, approval; then the calls that passed run in parallel, each with
 * a timeout that starts when that call starts (not when the turn thread comes to wait for it) and
 * interrupts it; a call that returns after its limit is a timeout. A failure becomes an error
 * result for the model unless the toolbox's policy makes it a {@link ToolException}. Results keep
 * the order of the calls, each linked to its call id.
 *
 * <p>Used by one thread at a time (the turn's).
 */
public final class ToolSession {

  private final Toolbox toolbox;
  private final String conversationId;
  private final Cancellation cancellation;
  private final long deadlineNanos;
  private final LongSupplier nanoTime;
  private final Set<String> denied = new HashSet<>();
  private int callsMade;

  ToolSession(
      Toolbox toolbox,
      String conversationId,
      Cancellation cancellation,
      long deadlineNanos,
      LongSupplier nanoTime) {
    this.toolbox = Objects.requireNonNull(toolbox, "toolbox");
    this.conversationId = Objects.requireNonNull(conversationId, "conversationId");
    this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
    this.deadlineNanos = deadlineNanos;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /**
   * Runs the calls of one model reply.
   *
   * @param calls the calls, in the reply's order
   * @param listener told of each call's outcome, in call order, on this thread
   * @return one result per call, in call order
   * @throws ToolException when a failure's policy says so
   * @throws CancelledException when the turn is cancelled
   */
  public List<ToolResultMessage> run(List<ToolCall> calls, Consumer<ToolExecution> listener) {
    List<Outcome> outcomes = new ArrayList<>(calls.size());
    for (ToolCall call : calls) {
      cancellation.throwIfCancelled();
      outcomes.add(check(call));
    }
    // Spans only under a traced caller (an agent's turn span); none of them outlives this call.
    TraceSpan parent = TraceSpan.current();
    try {
      for (Outcome outcome : outcomes) {
        if (parent != null) {
          outcome.span =
              ToolSpans.start(parent, outcome.call, toolbox.tool(outcome.call.name()).isPresent());
        }
        if (outcome.execution == null) {
          outcome.start(this);
        }
      }
      List<ToolResultMessage> results = new ArrayList<>(calls.size());
      for (Outcome outcome : outcomes) {
        ToolExecution execution = capped(outcome.finish(this));
        if (outcome.span != null) {
          ToolSpans.finish(outcome.span, execution);
        }
        listener.accept(execution);
        if (execution.failure().isPresent() && toolbox.throwsOn(execution.failure().get())) {
          throw new ToolException(execution.failure().get(), execution.result(), outcome.cause);
        }
        results.add(
            new ToolResultMessage(
                execution.call().id(),
                execution.call().name(),
                execution.result(),
                !execution.succeeded()));
      }
      return results;
    } catch (RuntimeException | Error e) {
      // Calls left unfinished by a cancellation or a thrown failure: their spans end failed.
      for (Outcome outcome : outcomes) {
        if (outcome.span != null) {
          outcome.span.fail(e);
          outcome.span.end();
        }
      }
      throw e;
    }
  }

  private Outcome check(ToolCall call) {
    if (callsMade >= toolbox.maxToolCalls()) {
      return Outcome.failed(
          call,
          ToolFailure.BUDGET_EXHAUSTED,
          "this turn has used all "
              + toolbox.maxToolCalls()
              + " tool calls it may make; answer with what you have");
    }
    callsMade++;
    ToolDefinition tool = toolbox.tool(call.name()).orElse(null);
    if (tool == null) {
      return Outcome.failed(
          call,
          ToolFailure.UNKNOWN_TOOL,
          "there is no tool named '"
              + call.name()
              + "'; the tools are: "
              + String.join(", ", new TreeSet<>(toolbox.allowedNames())));
    }
    if (!toolbox.isAllowed(call.name())) {
      return Outcome.failed(
          call,
          ToolFailure.NOT_ALLOWED,
          "tool '" + call.name() + "' is not allowed for this agent");
    }
    List<String> problems = tool.validate(call.arguments());
    if (!problems.isEmpty()) {
      return Outcome.failed(
          call,
          ToolFailure.INVALID_ARGUMENTS,
          "invalid arguments for tool '"
              + call.name()
              + "': "
              + String.join("; ", problems)
              + ". The tool did not run; call it again with corrected arguments.");
    }
    if (tool.requiresApproval()) {
      String key = call.name() + "\u0000" + call.arguments();
      if (denied.contains(key)
          || !toolbox
              .approval()
              .approve(call, new ToolContext(conversationId, call.id(), cancellation))) {
        denied.add(key);
        return Outcome.failed(
            call,
            ToolFailure.DENIED,
            "the user denied this call of tool '"
                + call.name()
                + "'; do not ask for it again in this turn");
      }
    }
    return new Outcome(call, tool);
  }

  // A call's limit starts when the call starts: its own timeout, cut to what is left of the turn.
  private long limitNanos(long startNanos) {
    long timeout = toolbox.toolTimeout().toNanos();
    if (deadlineNanos == Long.MAX_VALUE) {
      return timeout;
    }
    long turnLeft = deadlineNanos - startNanos;
    return turnLeft < timeout ? Math.max(0, turnLeft) : timeout;
  }

  // Every result obeys the size cap, errors included: an error can echo what the model sent.
  private ToolExecution capped(ToolExecution execution) {
    String result = execution.result();
    int max = toolbox.maxResultChars();
    if (result.length() <= max) {
      return execution;
    }
    int end = Character.isHighSurrogate(result.charAt(max - 1)) ? max - 1 : max;
    String cut =
        result.substring(0, end)
            + "\n[truncated: "
            + end
            + " of "
            + result.length()
            + " characters shown]";
    return execution
        .failure()
        .map(failure -> ToolExecution.failed(execution.call(), failure, cut, execution.duration()))
        .orElseGet(() -> ToolExecution.succeeded(execution.call(), cut, execution.duration()));
  }

  /** One call on its way: checked, then started, then finished. */
  private static final class Outcome {
    private final ToolCall call;
    private final ToolDefinition tool;
    private ToolExecution execution;
    private Throwable cause;
    private TraceSpan span;
    private Future<String> future;
    private Cancellation toolCancellation;
    private Cancellation.Registration registration;
    private long startNanos;
    private long limitNanos;
    // Set by the worker when the tool returns or throws; read after the future completes.
    private volatile long endNanos;

    Outcome(ToolCall call, ToolDefinition tool) {
      this.call = call;
      this.tool = tool;
    }

    static Outcome failed(ToolCall call, ToolFailure failure, String message) {
      Outcome outcome = new Outcome(call, null);
      outcome.execution = ToolExecution.failed(call, failure, message, Duration.ZERO);
      return outcome;
    }

    void start(ToolSession session) {
      toolCancellation = session.cancellation.child();
      ToolContext context = new ToolContext(session.conversationId, call.id(), toolCancellation);
      startNanos = session.nanoTime.getAsLong();
      limitNanos = session.limitNanos(startNanos);
      future =
          session
              .toolbox
              .executor()
              .submit(
                  () -> {
                    // The tool's own spans (a model it calls, an HTTP client) go under its span.
                    TraceSpan.Scope scope = span == null ? null : span.makeCurrent();
                    try {
                      return tool.invoke(call.arguments(), context);
                    } finally {
                      endNanos = session.nanoTime.getAsLong();
                      if (scope != null) {
                        scope.close();
                      }
                    }
                  });
      Future<String> running = future;
      registration = toolCancellation.onCancel(() -> running.cancel(true));
    }

    ToolExecution finish(ToolSession session) {
      if (execution != null) {
        return execution;
      }
      long waitNanos = Math.max(0, limitNanos - (session.nanoTime.getAsLong() - startNanos));
      try {
        String result = future.get(waitNanos, TimeUnit.NANOSECONDS);
        // The turn thread may come to this call late; what counts is when the tool returned.
        execution =
            endNanos - startNanos > limitNanos
                ? timedOut(session)
                : ToolExecution.succeeded(call, result, elapsed(session));
      } catch (TimeoutException e) {
        toolCancellation.cancel();
        execution = timedOut(session);
      } catch (ExecutionException e) {
        if (endNanos - startNanos > limitNanos) {
          execution = timedOut(session);
        } else {
          cause = e.getCause();
          execution =
              ToolExecution.failed(
                  call,
                  ToolFailure.FAILED,
                  "tool '" + call.name() + "' failed: " + describe(e.getCause()),
                  elapsed(session));
        }
      } catch (InterruptedException e) {
        toolCancellation.cancel();
        Thread.currentThread().interrupt();
        throw new CancelledException("interrupted while waiting for tool '" + call.name() + "'");
      } catch (java.util.concurrent.CancellationException e) {
        session.cancellation.throwIfCancelled();
        execution =
            ToolExecution.failed(
                call,
                ToolFailure.TIMED_OUT,
                "tool '" + call.name() + "' was stopped",
                elapsed(session));
      } finally {
        if (registration != null) {
          registration.close();
        }
      }
      session.cancellation.throwIfCancelled();
      return execution;
    }

    private ToolExecution timedOut(ToolSession session) {
      return ToolExecution.failed(
          call,
          ToolFailure.TIMED_OUT,
          "tool '"
              + call.name()
              + "' did not finish within "
              + Duration.ofNanos(limitNanos).toMillis()
              + " ms and was stopped",
          elapsed(session));
    }

    private Duration elapsed(ToolSession session) {
      return Duration.ofNanos(session.nanoTime.getAsLong() - startNanos);
    }

    private static String describe(Throwable failure) {
      Throwable shown =
          failure instanceof AnnotatedTools.ToolInvocationException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      String message = shown.getMessage();
      return shown.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
  }
}
