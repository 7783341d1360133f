package dev.colloquy.core.agent;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.cost.BudgetAction;
import dev.colloquy.core.cost.BudgetDecision;
import dev.colloquy.core.guard.Guard;
import dev.colloquy.core.guard.GuardDecision;
import dev.colloquy.core.guard.RedactionSession;
import dev.colloquy.core.internal.trace.GenAi;
import dev.colloquy.core.internal.trace.SpanKind;
import dev.colloquy.core.internal.trace.TraceSpan;
import dev.colloquy.core.memory.TurnRecord;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.message.UserMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.observe.ChatEvent;
import dev.colloquy.core.resilience.Scheduler;
import dev.colloquy.core.tool.ToolCallCheck;
import dev.colloquy.core.tool.ToolCallDecision;
import dev.colloquy.core.tool.ToolExecution;
import dev.colloquy.core.tool.ToolSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One turn, under the conversation's lock: budget check, input guard and redaction, the tool loop,
 * the answer check (structured output), the output guard, the commit.
 *
 * <p>Invariants: nothing is written to memory until the final answer is accepted, and then the
 * whole turn (user message, each tool-call message with its results, the answer) is committed in
 * one save; a blocked or failed turn writes nothing. Tools run through one {@link ToolSession} per
 * turn, so a model call retried inside a backend or decorator re-sends the results already obtained
 * and never runs a tool again. Memory holds what the model saw (redacted text); tools get the real
 * values back and the caller's reply has them restored.
 */
final class TurnRunner {

  private final TurnSettings settings;
  // Fires turn deadlines; the JVM-wide delay thread in production, so an agent owns no thread.
  private final Scheduler scheduler;

  TurnRunner(TurnSettings settings, Scheduler scheduler) {
    this.settings = settings;
    this.scheduler = scheduler;
  }

  /** How the final answer is checked; the default accepts any answer. */
  interface AnswerCheck {
    AnswerCheck ANY =
        new AnswerCheck() {
          @Override
          public Optional<String> problem(String text) {
            return Optional.empty();
          }

          @Override
          public String reask(String problem) {
            return problem;
          }
        };

    Optional<String> problem(String text);

    String reask(String problem);
  }

  Reply run(
      Turn turn,
      Optional<SystemMessage> system,
      ChatOptions options,
      AnswerCheck check,
      int reasks,
      String typeName) {
    if (settings.spans() == null) {
      return runUntraced(turn, system, options, check, reasks, typeName);
    }
    String name = settings.name();
    TraceSpan span =
        settings
            .spans()
            .start(
                SpanKind.TURN,
                GenAi.OBSERVE_TURN,
                name == null ? "invoke_agent" : "invoke_agent " + name,
                Map.of(GenAi.OPERATION_NAME, "invoke_agent"),
                null);
    try {
      span.conversation(turn.conversationId());
      if (name != null) {
        span.tag(GenAi.AGENT_NAME, name);
      }
      settings.model().secretRedactor().ifPresent(span::addSecrets);
      span.agentRedactor(settings.redactor());
      Reply reply;
      TraceSpan.Scope scope = span.makeCurrent();
      try {
        reply = runUntraced(turn, system, options, check, reasks, typeName);
      } finally {
        scope.close();
      }
      span.tag(GenAi.RESPONSE_MODEL, reply.modelId());
      GenAi.usage(span, reply.usage());
      span.tag(GenAi.RESPONSE_FINISH_REASONS, GenAi.finishReasons(reply.finishReason()));
      return reply;
    } catch (RuntimeException | Error e) {
      span.fail(e);
      throw e;
    } finally {
      span.end();
    }
  }

  private Reply runUntraced(
      Turn turn,
      Optional<SystemMessage> system,
      ChatOptions options,
      AnswerCheck check,
      int reasks,
      String typeName) {
    // The deadline covers the whole turn, waiting for a busy conversation included.
    Cancellation cancellation = turn.cancellation();
    AtomicBoolean deadlineHit = new AtomicBoolean();
    Cancellation.Registration timer = null;
    long deadlineNanos = Long.MAX_VALUE;
    if (settings.deadline() != null) {
      cancellation = turn.cancellation().child();
      Cancellation toCancel = cancellation;
      deadlineNanos = settings.nanoTime().getAsLong() + settings.deadline().toNanos();
      timer =
          scheduler.schedule(
              settings.deadline(),
              () -> {
                deadlineHit.set(true);
                toCancel.cancel();
              });
    }
    Cancellation turnCancellation = cancellation;
    long turnDeadlineNanos = deadlineNanos;
    try {
      return settings
          .memory()
          .withLock(
              turn.conversationId(),
              cancellation,
              () ->
                  runLocked(
                      turn,
                      system,
                      options,
                      check,
                      reasks,
                      typeName,
                      turnCancellation,
                      turnDeadlineNanos));
    } catch (CancelledException e) {
      if (deadlineHit.get() && !turn.cancellation().isCancelled()) {
        throw deadlineExceeded(turn);
      }
      throw e;
    } finally {
      if (timer != null) {
        timer.close();
      }
    }
  }

  private Reply runLocked(
      Turn turn,
      Optional<SystemMessage> system,
      ChatOptions options,
      AnswerCheck check,
      int reasks,
      String typeName,
      Cancellation cancellation,
      long deadlineNanos) {
    cancellation.throwIfCancelled();
    ChatModel model = budgetedModel(turn);
    RedactionSession redaction =
        settings.redactor() == null ? null : settings.redactor().newSession();
    String text = turn.text();
    if (redaction != null) {
      text = redaction.redact(text);
    }
    GuardDecision input = guard(settings.inputGuard(), text, ChatEvent.GuardDecided.Stage.INPUT);
    if (input instanceof GuardDecision.Block) {
      return refusal();
    }
    if (input instanceof GuardDecision.Rewrite rewrite) {
      text = rewrite.text();
    }
    if (text.isEmpty()) {
      return refusal();
    }
    Loop loop =
        new Loop(
            turn,
            model,
            new UserMessage(text),
            system,
            options,
            check,
            reasks,
            typeName,
            cancellation,
            deadlineNanos,
            redaction);
    return loop.run();
  }

  /**
   * Returns the first request a turn would send now: the user's text redacted and rewritten by the
   * input guard as a turn would, with no events and nothing recorded. When the guard would block,
   * this is the request it refuses.
   */
  ChatRequest firstRequest(Turn turn, Optional<SystemMessage> system, ChatOptions options) {
    String text = turn.text();
    if (settings.redactor() != null) {
      text = settings.redactor().newSession().redact(text);
    }
    if (settings.inputGuard() != null
        && settings.inputGuard().check(text) instanceof GuardDecision.Rewrite rewrite
        && !rewrite.text().isEmpty()) {
      text = rewrite.text();
    }
    return new ChatRequest(
        context(turn, system, new UserMessage(text)), settings.toolbox().specifications(), options);
  }

  private List<Message> context(Turn turn, Optional<SystemMessage> system, UserMessage user) {
    List<Message> context = new ArrayList<>();
    system.ifPresent(context::add);
    context.addAll(settings.memory().messages(turn.conversationId()));
    context.add(user);
    return context;
  }

  private TurnDeadlineExceededException deadlineExceeded(Turn turn) {
    return new TurnDeadlineExceededException(
        "the turn of conversation '"
            + turn.conversationId()
            + "' ran past its deadline of "
            + settings.deadline().toMillis()
            + " ms and was stopped; nothing was committed");
  }

  private ChatModel budgetedModel(Turn turn) {
    if (settings.budgets() == null) {
      return settings.model();
    }
    BudgetDecision decision =
        settings.budgets().check(settings.ledger(), turn.tenant(), turn.conversationId());
    if (!(decision instanceof BudgetDecision.OverBudget over)) {
      return settings.model();
    }
    BudgetAction action = over.action();
    if (action instanceof BudgetAction.TrimMemory trim) {
      settings.memory().trim(turn.conversationId(), trim.keepLastMessages());
      return settings.model();
    }
    if (action instanceof BudgetAction.SwitchModel change) {
      ChatModel alternative = settings.alternativeModels().get(change.model());
      if (alternative == null) {
        throw new NonRetryableException(
            "the budget asks to switch to model '"
                + change.model()
                + "', but the agent has no alternative model of that name; add it with alternativeModel(...)");
      }
      return alternative;
    }
    throw new BudgetExceededException(
        "conversation '"
            + turn.conversationId()
            + "' of tenant '"
            + turn.tenant()
            + "': "
            + over.describe()
            + "; the turn was refused");
  }

  private GuardDecision guard(Guard guard, String text, ChatEvent.GuardDecided.Stage stage) {
    if (guard == null) {
      return GuardDecision.pass();
    }
    GuardDecision decision = guard.check(text);
    ChatEvent.GuardDecided.Outcome outcome;
    String reason;
    if (decision instanceof GuardDecision.Block block) {
      outcome = ChatEvent.GuardDecided.Outcome.BLOCK;
      reason = block.reason();
    } else if (decision instanceof GuardDecision.Rewrite rewrite) {
      outcome = ChatEvent.GuardDecided.Outcome.REWRITE;
      reason = rewrite.reason();
    } else {
      outcome = ChatEvent.GuardDecided.Outcome.PASS;
      reason = "";
    }
    settings.listener().onEvent(new ChatEvent.GuardDecided(guard.name(), stage, outcome, reason));
    return decision;
  }

  private Reply refusal() {
    return new Reply(
        settings.refusal(), List.of(), FinishReason.CONTENT_FILTER, TokenUsage.ZERO, "guard");
  }

  /** The tool loop of one turn; one instance per turn. */
  private final class Loop {
    private final Turn turn;
    private final ChatModel model;
    private final UserMessage user;
    private final ChatOptions options;
    private final AnswerCheck check;
    private final int reasks;
    private final String typeName;
    private final Cancellation cancellation;
    private final RedactionSession redaction;
    private final long deadlineNanos;
    private final ToolSession tools;
    private final List<Message> context;
    private final int historyFrom;
    private final int historyTo;
    private final List<Message> turnMessages = new ArrayList<>();

    Loop(
        Turn turn,
        ChatModel model,
        UserMessage user,
        Optional<SystemMessage> system,
        ChatOptions options,
        AnswerCheck check,
        int reasks,
        String typeName,
        Cancellation cancellation,
        long deadlineNanos,
        RedactionSession redaction) {
      this.turn = turn;
      this.model = model;
      this.user = user;
      this.options = options;
      this.check = check;
      this.reasks = reasks;
      this.typeName = typeName;
      this.cancellation = cancellation;
      this.redaction = redaction;
      this.deadlineNanos = deadlineNanos;
      this.tools =
          settings
              .toolbox()
              .session(turn.conversationId(), cancellation, deadlineNanos, settings.nanoTime());
      this.context = context(turn, system, user);
      // The conversation before the turn, for a tool call check: copied only when one asks.
      this.historyFrom = system.isPresent() ? 1 : 0;
      this.historyTo = context.size() - 1;
      turnMessages.add(user);
    }

    Reply run() {
      StreamListener listener = turn.listener();
      TokenUsage usage = TokenUsage.ZERO;
      int reasksLeft = reasks;
      for (int round = 1; round <= settings.toolbox().maxRoundTrips(); round++) {
        cancellation.throwIfCancelled();
        checkDeadline();
        ChatRequest request =
            new ChatRequest(context, settings.toolbox().specifications(), options);
        ChatResponse response = model.generate(request, listener, cancellation);
        usage = usage.plus(response.usage());
        if (settings.ledger() != null) {
          settings.ledger().record(turn.tenant(), turn.conversationId(), response);
        }
        AssistantMessage answer = response.message();
        if (answer.hasToolCalls()) {
          Optional<String> instead = checkCalls(answer);
          if (instead.isEmpty()) {
            runTools(answer, listener);
            continue;
          }
          // Like a model's answer: placeholders in the stream and memory, real values in the reply.
          String said = redaction == null ? instead.get() : redaction.redact(instead.get());
          answer = new AssistantMessage(said, List.of());
          listener.onText(said);
        }
        Optional<String> problem = check.problem(answer.text());
        if (problem.isPresent()) {
          if (reasksLeft-- > 0) {
            context.add(answer);
            context.add(new UserMessage(check.reask(problem.get())));
            continue;
          }
          throw new StructuredOutputException(
              "the reply could not be read as "
                  + typeName
                  + " after "
                  + (reasks + 1)
                  + " attempts: "
                  + problem.get(),
              answer.text());
        }
        GuardDecision output =
            guard(settings.outputGuard(), answer.text(), ChatEvent.GuardDecided.Stage.OUTPUT);
        if (output instanceof GuardDecision.Block) {
          return refusal();
        }
        if (output instanceof GuardDecision.Rewrite rewrite) {
          answer = new AssistantMessage(rewrite.text(), List.of());
        }
        turnMessages.add(answer);
        cancellation.throwIfCancelled();
        checkDeadline();
        settings
            .memory()
            .commit(
                turn.conversationId(),
                turnMessages,
                new TurnRecord(turn.tenant(), response.modelId(), usage, Instant.now()));
        String shown = redaction == null ? answer.text() : redaction.restore(answer.text());
        return new Reply(shown, turnMessages, response.finishReason(), usage, response.modelId());
      }
      throw new TurnBudgetExceededException(
          "the turn of conversation '"
              + turn.conversationId()
              + "' used all "
              + settings.toolbox().maxRoundTrips()
              + " model round trips and the model was still asking for tools;"
              + " nothing was committed");
    }

    // The timer cancels the turn at the deadline, but a tool whose time was cut to the deadline can
    // return first; checking the clock too makes the deadline win every time.
    private void checkDeadline() {
      if (settings.deadline() != null && settings.nanoTime().getAsLong() - deadlineNanos >= 0) {
        throw deadlineExceeded(turn);
      }
    }

    /** Asks the agent's tool call check, if any; returns the answer to give instead of running. */
    private Optional<String> checkCalls(AssistantMessage answer) {
      ToolCallCheck toolCheck = settings.toolCallCheck();
      if (toolCheck == null) {
        return Optional.empty();
      }
      List<ToolCall> calls = answer.toolCalls();
      String text = user.text();
      if (redaction != null) {
        // The check judges what the user and the tools see, not placeholders.
        calls = restored(calls);
        text = redaction.restore(text);
      }
      List<Message> history = context.subList(historyFrom, historyTo);
      ToolCallDecision decision = toolCheck.check(new ToolCallCheck.Round(text, history, calls));
      boolean run = decision instanceof ToolCallDecision.Run;
      settings
          .listener()
          .onEvent(
              new ChatEvent.GuardDecided(
                  toolCheck.name(),
                  ChatEvent.GuardDecided.Stage.TOOL_CALLS,
                  run ? ChatEvent.GuardDecided.Outcome.PASS : ChatEvent.GuardDecided.Outcome.BLOCK,
                  run ? "" : ((ToolCallDecision.Answer) decision).reason()));
      return run ? Optional.empty() : Optional.of(((ToolCallDecision.Answer) decision).text());
    }

    private List<ToolCall> restored(List<ToolCall> calls) {
      return calls.stream()
          .map(c -> new ToolCall(c.id(), c.name(), redaction.restore(c.arguments())))
          .toList();
    }

    private void runTools(AssistantMessage answer, StreamListener listener) {
      if (settings.toolbox().isEmpty()) {
        throw new NonRetryableException(
            "the model asked for tool '"
                + answer.toolCalls().get(0).name()
                + "', but this agent offers no tools");
      }
      List<ToolCall> calls = answer.toolCalls();
      if (redaction != null) {
        // The model wrote placeholders; the tools get the real values.
        calls = restored(calls);
      }
      List<ToolResultMessage> results = tools.run(calls, execution -> notify(listener, execution));
      if (redaction != null) {
        results =
            results.stream()
                .map(
                    r ->
                        new ToolResultMessage(
                            r.toolCallId(), r.toolName(), redaction.redact(r.text()), r.error()))
                .toList();
      }
      context.add(answer);
      context.addAll(results);
      turnMessages.add(answer);
      turnMessages.addAll(results);
    }

    private void notify(StreamListener listener, ToolExecution execution) {
      settings
          .listener()
          .onEvent(
              new ChatEvent.ToolCalled(
                  execution.call().name(), execution.duration(), !execution.succeeded()));
      if (listener instanceof TurnListener turnListener) {
        turnListener.onToolExecution(execution);
      }
    }
  }
}
