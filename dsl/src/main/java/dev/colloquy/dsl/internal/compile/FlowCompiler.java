package dev.colloquy.dsl.internal.compile;

import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.chain.Chain;
import dev.colloquy.core.chain.ChainContext;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.prompt.PromptTemplate;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.dsl.Bindings;
import dev.colloquy.dsl.ast.Declaration;
import dev.colloquy.dsl.ast.Prompt;
import dev.colloquy.dsl.ast.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiles checked flows to core {@link Chain}s with the factories of {@code Chain}: each step kind
 * maps to one core step, so flows have no runtime of their own.
 *
 * <p>Values between steps are {@code Object}s: model, agent and classification steps take the text
 * of their input ({@code String.valueOf}); {@code each} needs a list. Agents and flows are looked
 * up when a step runs, from maps filled before any flow can run, so agents and flows may refer to
 * each other.
 */
public final class FlowCompiler {
  private static final JsonSchema FLOW_INPUT =
      JsonSchema.parse(
          """
          {"type": "object",
           "properties": {"input": {"type": "string", "description": "what the flow works on"}},
           "required": ["input"],
           "additionalProperties": false}
          """);

  private final Bindings bindings;
  private final Map<String, Agent> agents;
  private final Map<String, PromptTemplate> templates;

  /**
   * Makes a compiler.
   *
   * @param bindings what the application binds
   * @param agents the compiled agents (may still be filling)
   * @param templates the compiled templates
   */
  public FlowCompiler(
      Bindings bindings, Map<String, Agent> agents, Map<String, PromptTemplate> templates) {
    this.bindings = bindings;
    this.agents = agents;
    this.templates = templates;
  }

  /** Compiles a checked flow. */
  public Chain<Object, Object> compile(Declaration.Flow flow) {
    return sequence(flow.name(), flow.steps());
  }

  /**
   * Offers a flow to an agent as a tool: the model sends {@code {"input": "..."}}, the flow runs in
   * the calling turn's conversation and cancellation, and its output is the result.
   */
  public static ToolDefinition asTool(String name, Chain<Object, Object> flow) {
    return ToolDefinition.builder(name)
        .description("Runs the flow '" + name + "' on the input text and returns its result.")
        .parameters(FLOW_INPUT)
        .handler(
            (arguments, context) ->
                flow.run(
                    arguments.text("input").orElseThrow(),
                    new ChainContext(context.conversationId(), Map.of(), context.cancellation())))
        .build();
  }

  private Chain<Object, Object> sequence(String flow, List<Step> steps) {
    Chain<Object, Object> chain = null;
    for (Step step : steps) {
      Chain<Object, Object> next = step(flow, step);
      chain = chain == null ? next : chain.then(next);
    }
    return chain != null ? chain : Chain.of(Function.identity());
  }

  private Chain<Object, Object> step(String flow, Step step) {
    if (step instanceof Step.Ask a) {
      Chain<String, String> ask =
          Chain.model(model(a.model()), prompt(flow, a.prompt()), ChatOptions.defaults());
      return (input, context) -> ask.run(String.valueOf(input), context);
    } else if (step instanceof Step.CallTool t) {
      ToolDefinition tool = bindings.tool(t.tool().value()).orElseThrow();
      Chain<Object, String> call = Chain.tool(tool, input -> arguments(tool, input));
      return call::run;
    } else if (step instanceof Step.CallFunction f) {
      return Chain.of(bindings.function(f.function().value()).orElseThrow());
    } else if (step instanceof Step.CallAgent a) {
      String name = a.agent().value();
      return (input, context) -> Chain.agent(agents.get(name)).run(String.valueOf(input), context);
    } else if (step instanceof Step.If i) {
      return Chain.branch(
          bindings.predicate(i.predicate().value()).orElseThrow(),
          sequence(flow, i.then()),
          sequence(flow, i.otherwise()));
    } else if (step instanceof Step.Classify c) {
      Map<String, Chain<Object, Object>> routes = new LinkedHashMap<>();
      for (Step.Case each : c.cases()) {
        routes.put(each.label(), sequence(flow, each.steps()));
      }
      if (!c.otherwise().isEmpty()) {
        routes.put(Checker.OTHER_LABEL, sequence(flow, c.otherwise()));
      }
      Chain<String, Object> classify = Chain.classify(model(c.model()), routes);
      return (input, context) -> classify.run(String.valueOf(input), context);
    } else if (step instanceof Step.Repeat r) {
      return Chain.loop(
          sequence(flow, r.body()), bindings.predicate(r.until().value()).orElseThrow(), r.max());
    } else if (step instanceof Step.Parallel p) {
      List<Chain<Object, Object>> branches = new ArrayList<>();
      for (List<Step> branch : p.branches()) {
        branches.add(sequence(flow, branch));
      }
      Chain<Object, List<Object>> fanOut = Chain.parallel(branches);
      Function<Object, Object> join = bindings.function(p.join().value()).orElseThrow();
      return fanOut.then(Chain.of(join));
    } else if (step instanceof Step.Each e) {
      Chain<List<Object>, List<Object>> map = Chain.map(sequence(flow, e.body()));
      return (input, context) -> {
        if (!(input instanceof List<?> list)) {
          throw new NonRetryableException(
              "flow '" + flow + "': `each` needs a list, got " + input.getClass().getSimpleName());
        }
        return map.run(new ArrayList<Object>(list), context);
      };
    }
    throw new IllegalStateException("unknown step " + step);
  }

  private ChatModel model(String name) {
    return bindings.model(name).orElseThrow();
  }

  private PromptTemplate prompt(String flow, Prompt prompt) {
    if (prompt instanceof Prompt.Reference r) {
      return templates.get(r.template().value());
    }
    return PromptTemplate.of("flow " + flow + " prompt", ((Prompt.Inline) prompt).text());
  }

  /**
   * Turns a step's input into a tool's arguments: a map as it is, a JSON object's text parsed with
   * the core's strict argument parser (as a model's tool call is), and any other value as the only
   * argument of a one-parameter tool.
   */
  static Object arguments(ToolDefinition tool, Object input) {
    if (input instanceof Map<?, ?>) {
      return input;
    }
    String text = String.valueOf(input);
    if (text.strip().startsWith("{")) {
      try {
        return ToolDefinition.parseArguments(text);
      } catch (IllegalArgumentException e) {
        throw new NonRetryableException(
            "tool step '"
                + tool.name()
                + "': the input starts like a JSON object, "
                + "but "
                + e.getMessage(),
            e);
      }
    }
    List<String> properties = tool.specification().parameters().propertyNames();
    if (properties.size() == 1) {
      return Map.of(properties.get(0), text);
    }
    throw new NonRetryableException(
        "tool step '"
            + tool.name()
            + "' needs an object with "
            + properties.size()
            + " arguments, got text; put a `call` step before it that builds them");
  }
}
