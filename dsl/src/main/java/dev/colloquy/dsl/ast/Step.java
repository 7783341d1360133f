package dev.colloquy.dsl.ast;

import java.util.List;
import java.util.Objects;

/** One step of a flow. Each step receives the previous step's output as its input. */
public sealed interface Step {

  /**
   * {@code ask "shop-model" """ ... {{input}} ... """}: one model call with a prompt whose {@code
   * input} variable is the step's input.
   *
   * @param model the model's name in the bindings
   * @param prompt the prompt
   */
  record Ask(String model, Prompt prompt) implements Step {
    /** Validates. */
    public Ask {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(prompt, "prompt");
    }
  }

  /**
   * {@code tool orderStatus}: calls a bound tool with the input as its arguments.
   *
   * @param tool the tool's name
   */
  record CallTool(Name tool) implements Step {
    /** Validates. */
    public CallTool {
      Objects.requireNonNull(tool, "tool");
    }
  }

  /**
   * {@code call normalise}: applies a bound Java function.
   *
   * @param function the function's name
   */
  record CallFunction(Name function) implements Step {
    /** Validates. */
    public CallFunction {
      Objects.requireNonNull(function, "function");
    }
  }

  /**
   * {@code agent support}: one turn of an agent declared in the files, in the flow's conversation.
   *
   * @param agent the agent's name
   */
  record CallAgent(Name agent) implements Step {
    /** Validates. */
    public CallAgent {
      Objects.requireNonNull(agent, "agent");
    }
  }

  /**
   * {@code if isVip { ... } else { ... }}: a branch on a bound predicate.
   *
   * @param predicate the predicate's name
   * @param then the steps when it holds
   * @param otherwise the steps when it does not (empty: pass the input through)
   */
  record If(Name predicate, List<Step> then, List<Step> otherwise) implements Step {
    /** Validates and copies. */
    public If {
      Objects.requireNonNull(predicate, "predicate");
      then = List.copyOf(then);
      otherwise = List.copyOf(otherwise);
    }
  }

  /**
   * {@code classify "shop-model" { when refund { ... } else { ... } }}: a branch on the label a
   * model picks for the input.
   *
   * @param model the classifying model's name in the bindings
   * @param cases one case per label, in order
   * @param otherwise the steps for an answer that is none of the labels
   */
  record Classify(String model, List<Case> cases, List<Step> otherwise) implements Step {
    /** Validates and copies. */
    public Classify {
      Objects.requireNonNull(model, "model");
      cases = List.copyOf(cases);
      otherwise = List.copyOf(otherwise);
    }
  }

  /**
   * {@code when refund { ... }} inside {@code classify}.
   *
   * @param label the label
   * @param steps the steps for that label
   */
  record Case(String label, List<Step> steps) {
    /** Validates and copies. */
    public Case {
      Identifiers.check(label, "label");
      steps = List.copyOf(steps);
    }
  }

  /**
   * {@code repeat max 3 until resolved { ... }}: runs the body until the predicate holds for its
   * output, at most {@code max} times.
   *
   * @param max the most iterations, at least 1
   * @param until the predicate's name
   * @param body the steps of one iteration
   */
  record Repeat(int max, Name until, List<Step> body) implements Step {
    /** Validates and copies. */
    public Repeat {
      Objects.requireNonNull(until, "until");
      body = List.copyOf(body);
    }
  }

  /**
   * {@code parallel { branch { ... } branch { ... } } join merge}: runs each branch on the input at
   * once and joins their outputs, in branch order, with a bound function.
   *
   * @param branches the branches
   * @param join the joining function's name
   */
  record Parallel(List<List<Step>> branches, Name join) implements Step {
    /** Validates and copies. */
    public Parallel {
      branches = branches.stream().map(List::copyOf).toList();
      Objects.requireNonNull(join, "join");
    }
  }

  /**
   * {@code each { ... }}: runs the body on each element of a list input; the output is the list of
   * results in order.
   *
   * @param body the steps run per element
   */
  record Each(List<Step> body) implements Step {
    /** Validates and copies. */
    public Each {
      body = List.copyOf(body);
    }
  }
}
