package dev.colloquy.core.agent;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.message.UserMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.tool.ToolExecution;
import dev.colloquy.core.tool.ToolSession;
import dev.colloquy.core.tool.Toolbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The tool loop of one turn, under the conversation's lock.
 *
 * <p>Invariants: nothing is written to memory until the final answer is accepted, and then the
 * whole turn (user message, each tool-call message with its results, the answer) is committed in
 * one save; tools run through one {@link ToolSession} per turn, so a model call retried inside a
 * backend or decorator re-sends the results already obtained and never runs a tool again;
 * re-asks for structured output are sent to the model but not committed.
 */
final class TurnRunner {

  private final ChatModel model;
  private final ChatMemory memory;
  private final Toolbox toolbox;
  private final Duration deadline;
  private final LongSupplier nanoTime;
  private final Supplier<ScheduledExecutorService> scheduler;

  TurnRunner(ChatModel model, ChatMemory memory, Toolbox toolbox, Duration deadline, LongSupplier nanoTime,
      Supplier<ScheduledExecutorService> scheduler) {
    this.model = model;
    this.memory = memory;
    this.toolbox = toolbox;
    this.deadline = deadline;
    this.nanoTime = nanoTime;
    this.scheduler = scheduler;
  }

  /** How the final answer is checked; the default accepts any answer. */
  interface AnswerCheck {
    AnswerCheck ANY = new AnswerCheck() {
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

  Reply run(Turn turn, Optional<SystemMessage> system, ChatOptions options, AnswerCheck check, int reasks,
      String typeName) {
    UserMessage user = new UserMessage(turn.text());
    return memory.withLock(turn.conversationId(), () -> {
      turn.cancellation().throwIfCancelled();
      AtomicBoolean deadlineHit = new AtomicBoolean();
      Cancellation cancellation = turn.cancellation();
      ScheduledFuture<?> timer = null;
      long deadlineNanos = Long.MAX_VALUE;
      if (deadline != null) {
        cancellation = turn.cancellation().child();
        Cancellation toCancel = cancellation;
        deadlineNanos = nanoTime.getAsLong() + deadline.toNanos();
        timer = scheduler.get().schedule(() -> {
          deadlineHit.set(true);
          toCancel.cancel();
        }, deadline.toNanos(), TimeUnit.NANOSECONDS);
      }
      try {
        return loop(turn, user, system, options, check, reasks, typeName, cancellation, deadlineNanos);
      } catch (CancelledException e) {
        if (deadlineHit.get() && !turn.cancellation().isCancelled()) {
          throw new TurnDeadlineExceededException("the turn of conversation '" + turn.conversationId()
              + "' ran past its deadline of " + deadline.toMillis() + " ms and was stopped; nothing was committed");
        }
        throw e;
      } finally {
        if (timer != null) {
          timer.cancel(false);
        }
      }
    });
  }

  private Reply loop(Turn turn, UserMessage user, Optional<SystemMessage> system, ChatOptions options,
      AnswerCheck check, int reasks, String typeName, Cancellation cancellation, long deadlineNanos) {
    List<Message> context = new ArrayList<>();
    system.ifPresent(context::add);
    context.addAll(memory.messages(turn.conversationId()));
    context.add(user);
    List<Message> turnMessages = new ArrayList<>();
    turnMessages.add(user);
    StreamListener listener = turn.listener();
    ToolSession tools = toolbox.session(turn.conversationId(), cancellation, deadlineNanos, nanoTime);
    TokenUsage usage = TokenUsage.ZERO;
    int reasksLeft = reasks;
    for (int round = 1; round <= toolbox.maxRoundTrips(); round++) {
      cancellation.throwIfCancelled();
      ChatRequest request = new ChatRequest(context, toolbox.specifications(), options);
      ChatResponse response = model.generate(request, listener, cancellation);
      usage = usage.plus(response.usage());
      AssistantMessage answer = response.message();
      if (answer.hasToolCalls()) {
        if (toolbox.isEmpty()) {
          throw new NonRetryableException("the model asked for tool '" + answer.toolCalls().get(0).name()
              + "', but this agent offers no tools");
        }
        List<ToolResultMessage> results = tools.run(answer.toolCalls(), execution -> notify(listener, execution));
        context.add(answer);
        context.addAll(results);
        turnMessages.add(answer);
        turnMessages.addAll(results);
        continue;
      }
      Optional<String> problem = check.problem(answer.text());
      if (problem.isPresent()) {
        if (reasksLeft-- > 0) {
          context.add(answer);
          context.add(new UserMessage(check.reask(problem.get())));
          continue;
        }
        throw new StructuredOutputException("the reply could not be read as " + typeName + " after "
            + (reasks + 1) + " attempts: " + problem.get(), answer.text());
      }
      turnMessages.add(answer);
      cancellation.throwIfCancelled();
      memory.commit(turn.conversationId(), turnMessages);
      return new Reply(answer.text(), turnMessages, response.finishReason(), usage, response.modelId());
    }
    throw new TurnBudgetExceededException("the turn of conversation '" + turn.conversationId() + "' used all "
        + toolbox.maxRoundTrips() + " model round trips and the model was still asking for tools; nothing was committed");
  }

  private static void notify(StreamListener listener, ToolExecution execution) {
    if (listener instanceof TurnListener turnListener) {
      turnListener.onToolExecution(execution);
    }
  }
}
