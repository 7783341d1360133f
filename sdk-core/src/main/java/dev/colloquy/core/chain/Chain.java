package dev.colloquy.core.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Turn;
import dev.colloquy.core.internal.json.JsonSchemas;
import dev.colloquy.core.internal.trace.ToolSpans;
import dev.colloquy.core.internal.trace.TraceSpan;
import dev.colloquy.core.internal.trace.TracedChatModel;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.prompt.PromptTemplate;
import dev.colloquy.core.tool.ToolContext;
import dev.colloquy.core.tool.ToolDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A deterministic flow of typed steps: model calls, agent turns, tool calls, plain functions, and
 * their compositions (sequence, branch, classification, bounded loop, parallel fan-out, map over a
 * list). Every step checks the caller's cancellation before it runs and hands it to the models,
 * agents and tools it calls, so one signal stops the whole flow.
 *
 * <pre>{@code
 * Chain<String, String> support = Chain.classify(model, Intent.class, Map.of(
 *         Intent.ORDER, Chain.agent(orderAgent),
 *         Intent.OTHER, Chain.of(text -> "Let me hand you over to a colleague.")));
 * String answer = support.run("Where is order 1001?", ChainContext.of("customer-42"));
 * }</pre>
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface Chain<I, O> {

  /**
   * Runs the chain.
   *
   * @param input the input
   * @param context the run's conversation, variables and cancellation
   * @return the output
   * @throws dev.colloquy.core.CancelledException when cancelled
   */
  O run(I input, ChainContext context);

  /** Returns a chain running this one, then {@code next} on its output. */
  default <R> Chain<I, R> then(Chain<? super O, ? extends R> next) {
    Objects.requireNonNull(next, "next");
    return (input, context) -> {
      O middle = run(input, context);
      context.cancellation().throwIfCancelled();
      return next.run(middle, context);
    };
  }

  /** Returns a step applying a plain function. */
  static <I, O> Chain<I, O> of(Function<? super I, ? extends O> function) {
    Objects.requireNonNull(function, "function");
    return (input, context) -> {
      context.cancellation().throwIfCancelled();
      return function.apply(input);
    };
  }

  /** Returns a step applying a function that also reads the context. */
  static <I, O> Chain<I, O> withContext(BiFunction<? super I, ChainContext, ? extends O> function) {
    Objects.requireNonNull(function, "function");
    return (input, context) -> {
      context.cancellation().throwIfCancelled();
      return function.apply(input, context);
    };
  }

  /**
   * Returns a step that renders a prompt and asks a model, returning its text. The template sees
   * the context's variables plus {@code input}, the step's input.
   */
  static Chain<String, String> model(ChatModel model, PromptTemplate prompt, ChatOptions options) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(options, "options");
    return (input, context) -> {
      context.cancellation().throwIfCancelled();
      Map<String, Object> values = new HashMap<>(context.variables());
      values.put("input", input);
      ChatRequest request =
          new ChatRequest(List.of(Message.user(prompt.render(values))), List.of(), options);
      return TracedChatModel.generateInCurrent(
              model, request, StreamListener.NONE, context.cancellation())
          .text();
    };
  }

  /**
   * Returns a step that sends its input to an agent as a user turn of the context's conversation.
   */
  static Chain<String, String> agent(Agent agent) {
    Objects.requireNonNull(agent, "agent");
    return (input, context) -> {
      context.cancellation().throwIfCancelled();
      Turn turn =
          Turn.of(context.conversationId(), input)
              .withVariables(context.variables())
              .withCancellation(context.cancellation());
      return agent.run(turn).text();
    };
  }

  /**
   * Returns a step that runs a tool; the function turns the input into the arguments object.
   * Invalid arguments fail the step with the schema's complaint.
   */
  static <I> Chain<I, String> tool(ToolDefinition tool, Function<? super I, ?> arguments) {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    return (input, context) -> {
      context.cancellation().throwIfCancelled();
      String json;
      try {
        json = JsonSchemas.MAPPER.writeValueAsString(arguments.apply(input));
      } catch (JsonProcessingException e) {
        throw new NonRetryableException(
            "tool step '"
                + tool.name()
                + "': arguments cannot be written as JSON: "
                + e.getOriginalMessage(),
            e);
      }
      List<String> problems = tool.validate(json);
      if (!problems.isEmpty()) {
        throw new NonRetryableException(
            "tool step '"
                + tool.name()
                + "': invalid arguments "
                + JsonSchemas.shorten(json, 200)
                + ": "
                + String.join("; ", problems));
      }
      ToolContext toolContext =
          new ToolContext(context.conversationId(), "chain-" + tool.name(), context.cancellation());
      TraceSpan current = TraceSpan.current();
      if (current == null) {
        return tool.invoke(json, toolContext);
      }
      return ToolSpans.run(
          current,
          new ToolCall(toolContext.callId(), tool.name(), json),
          () -> tool.invoke(json, toolContext));
    };
  }

  /** Returns a step that runs one of two chains depending on a predicate of the input. */
  static <I, O> Chain<I, O> branch(
      Predicate<? super I> condition,
      Chain<? super I, ? extends O> ifTrue,
      Chain<? super I, ? extends O> ifFalse) {
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(ifTrue, "ifTrue");
    Objects.requireNonNull(ifFalse, "ifFalse");
    return (input, context) -> {
      context.cancellation().throwIfCancelled();
      return condition.test(input) ? ifTrue.run(input, context) : ifFalse.run(input, context);
    };
  }

  /**
   * Returns a step that asks a model to classify the text of its input into one of the labels, then
   * runs that label's route. The model is asked for the label alone at temperature 0; its reply is
   * matched ignoring case, spaces and punctuation.
   *
   * @param model the classifier
   * @param routes a chain per label, in the order the labels are offered
   * @throws NonRetryableException at run time when the model answers with no known label
   */
  static <O> Chain<String, O> classify(
      ChatModel model, Map<String, ? extends Chain<? super String, ? extends O>> routes) {
    return Classifier.classify(model, new LinkedHashMap<>(routes));
  }

  /** Like {@link #classify(ChatModel, Map)} with the constants of an enum as labels. */
  static <E extends Enum<E>, O> Chain<String, O> classify(
      ChatModel model,
      Class<E> labels,
      Map<E, ? extends Chain<? super String, ? extends O>> routes) {
    Objects.requireNonNull(labels, "labels");
    Map<String, Chain<? super String, ? extends O>> byName = new LinkedHashMap<>();
    for (E label : labels.getEnumConstants()) {
      Chain<? super String, ? extends O> route = routes.get(label);
      if (route == null) {
        throw new IllegalArgumentException(
            "no route for label " + label + " of " + labels.getSimpleName());
      }
      byName.put(label.name(), route);
    }
    return Classifier.classify(model, byName);
  }

  /**
   * Returns a step that runs {@code body} on its own output until {@code until} holds, at most
   * {@code maxIterations} times; then it returns the last output (it does not fail).
   */
  static <T> Chain<T, T> loop(
      Chain<? super T, ? extends T> body, Predicate<? super T> until, int maxIterations) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(until, "until");
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be at least 1, was " + maxIterations);
    }
    return (input, context) -> {
      T value = input;
      for (int i = 0; i < maxIterations && !until.test(value); i++) {
        context.cancellation().throwIfCancelled();
        value = body.run(value, context);
      }
      return value;
    };
  }

  /**
   * Returns a step that runs every branch on the same input at once and returns their outputs in
   * branch order. The first failure cancels the other branches and is rethrown.
   */
  static <I, O> Chain<I, List<O>> parallel(List<? extends Chain<? super I, ? extends O>> branches) {
    List<Chain<? super I, ? extends O>> copy = List.copyOf(branches);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("parallel needs at least one branch");
    }
    return (input, context) ->
        FanOut.all(
            copy.size(), (i, branchContext) -> copy.get(i).run(input, branchContext), context);
  }

  /**
   * Returns a step that runs {@code each} on every element of its input list, in parallel, keeping
   * order.
   */
  static <E, R> Chain<List<E>, List<R>> map(Chain<? super E, ? extends R> each) {
    Objects.requireNonNull(each, "each");
    return (input, context) -> {
      List<E> elements = new ArrayList<>(input);
      return FanOut.all(
          elements.size(), (i, branchContext) -> each.run(elements.get(i), branchContext), context);
    };
  }

  /**
   * Offers this chain to an agent as a tool: the model sends an object of {@code inputType} (a
   * record, say), the chain runs with the calling turn's conversation and cancellation, and its
   * output (text or JSON) is the tool's result.
   */
  default ToolDefinition asTool(String name, String description, Class<I> inputType) {
    Objects.requireNonNull(inputType, "inputType");
    return ToolDefinition.builder(name)
        .description(description)
        .parameters(inputType)
        .handler(
            (arguments, toolContext) -> {
              I input = arguments.as(inputType);
              ChainContext context =
                  new ChainContext(
                      toolContext.conversationId(), Map.of(), toolContext.cancellation());
              return run(input, context);
            })
        .build();
  }
}
