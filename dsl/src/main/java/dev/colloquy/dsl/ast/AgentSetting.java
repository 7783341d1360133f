package dev.colloquy.dsl.ast;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One setting inside {@code agent name { ... }}. */
public sealed interface AgentSetting {

  /**
   * {@code model "shop-model"}: the model, bound by name by the application.
   *
   * @param model the model's name in the bindings
   */
  record Model(String model) implements AgentSetting {
    /** Validates. */
    public Model {
      Objects.requireNonNull(model, "model");
    }
  }

  /**
   * {@code system """ ... """} or {@code system greeting}: the system prompt.
   *
   * @param prompt the prompt
   */
  record SystemPrompt(Prompt prompt) implements AgentSetting {
    /** Validates. */
    public SystemPrompt {
      Objects.requireNonNull(prompt, "prompt");
    }
  }

  /**
   * {@code var shop = "Acme"}: a default value of a prompt variable.
   *
   * @param name the variable
   * @param value its default value
   */
  record Variable(String name, String value) implements AgentSetting {
    /** Validates. */
    public Variable {
      Identifiers.check(name, "variable name");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * {@code expect customer, tier}: prompt variables that each turn supplies.
   *
   * @param names the variables
   */
  record Expect(List<String> names) implements AgentSetting {
    /** Validates and copies. */
    public Expect {
      names = List.copyOf(names);
      names.forEach(n -> Identifiers.check(n, "variable name"));
    }
  }

  /**
   * {@code memory window 20}, {@code memory tokens 3000}, {@code memory window 40 tokens 3000
   * summarize "cheap-model"}: how much of each conversation is kept, and whether what is dropped is
   * summarized.
   *
   * @param window the number of messages kept; 0 when not given (20, or no limit with {@code
   *     tokens})
   * @param tokens the token budget of the kept messages; 0 when not given
   * @param summarizeWith the bound model that summarizes dropped turns, if any
   */
  record Memory(int window, int tokens, Optional<String> summarizeWith) implements AgentSetting {
    /** Validates. */
    public Memory {
      Objects.requireNonNull(summarizeWith, "summarizeWith");
    }

    /**
     * {@code memory window N}.
     *
     * @param window the number of messages kept
     */
    public Memory(int window) {
      this(window, 0, Optional.empty());
    }
  }

  /**
   * {@code tools orderStatus, refund}: the tools the agent may call, bound by name.
   *
   * @param tools the tools' names
   */
  record Tools(List<Name> tools) implements AgentSetting {
    /** Validates and copies. */
    public Tools {
      tools = List.copyOf(tools);
    }
  }

  /**
   * {@code options temperature 0.2, max_tokens 400}: default generation options.
   *
   * @param entries the options in order
   */
  record Options(List<Entry> entries) implements AgentSetting {
    /** Validates and copies. */
    public Options {
      entries = List.copyOf(entries);
    }
  }

  /**
   * {@code budget rounds 5, tool_calls 8, tool_timeout 10s, deadline 60s}: per-turn limits.
   *
   * @param entries the limits in order
   */
  record Budget(List<Entry> entries) implements AgentSetting {
    /** Validates and copies. */
    public Budget {
      entries = List.copyOf(entries);
    }
  }

  /**
   * {@code guard input noCardNumbers} or {@code guard output jsonReply}: a guard the application
   * binds, checking the user's text before the model sees it, or the answer before the caller does.
   *
   * @param stage which text the guard checks
   * @param guard the guard's name in the bindings
   */
  record Guardrail(Stage stage, Name guard) implements AgentSetting {
    /** Validates. */
    public Guardrail {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(guard, "guard");
    }

    /** Which text a guard checks. */
    public enum Stage {
      /** The user's text, before the model. */
      INPUT,
      /** The final answer, before the caller. */
      OUTPUT
    }
  }

  /**
   * {@code refusal "Sorry, I can only help with orders."}: the reply when a guard blocks a turn.
   *
   * @param text the reply
   */
  record Refusal(String text) implements AgentSetting {
    /** Validates. */
    public Refusal {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A key and its value inside {@code options} or {@code budget}.
   *
   * @param key the key, such as {@code temperature}
   * @param value its value
   */
  record Entry(String key, Literal value) {
    /** Validates. */
    public Entry {
      Identifiers.check(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }
}
