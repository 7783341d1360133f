package dev.colloquy.dsl.ast;

import java.util.List;
import java.util.Objects;

/** A top-level declaration: a template, an agent, a flow, a secret or an MCP server. */
public sealed interface Declaration {

  /** Returns the declared name, unique across a set of files. */
  String name();

  /**
   * {@code template greeting(shop, customer) """ ... """}: a named prompt with declared variables.
   *
   * @param name the template's name
   * @param variables the declared variables; the text must use each, and no other
   * @param text the prompt text with {@code {{variable}}} placeholders
   */
  record Template(String name, List<String> variables, String text) implements Declaration {
    /** Validates and copies. */
    public Template {
      Identifiers.check(name, "template name");
      variables = List.copyOf(variables);
      variables.forEach(v -> Identifiers.check(v, "variable name"));
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * {@code agent support { ... }}: an agent and its settings in source order.
   *
   * @param name the agent's name
   * @param settings the settings
   */
  record Agent(String name, List<AgentSetting> settings) implements Declaration {
    /** Validates and copies. */
    public Agent {
      Identifiers.check(name, "name");
      settings = List.copyOf(settings);
    }
  }

  /**
   * {@code flow triage { ... }}: a deterministic flow of steps; each step receives the previous
   * step's output, the first receives the flow's input.
   *
   * @param name the flow's name
   * @param steps the steps, run in order
   */
  record Flow(String name, List<Step> steps) implements Declaration {
    /** Validates and copies. */
    public Flow {
      Identifiers.check(name, "name");
      steps = List.copyOf(steps);
    }
  }

  /**
   * {@code secret shop_key = env "SHOP_API_KEY"}: a secret whose value is never printed in errors
   * or logs.
   *
   * @param name the secret's name
   * @param source where the value comes from
   */
  record Secret(String name, SecretSource source) implements Declaration {
    /** Validates. */
    public Secret {
      Identifiers.check(name, "name");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * {@code mcp files { command "..." ... }}: an MCP server whose tools agents may use, by naming
   * the server in their {@code tools}.
   *
   * @param name the server's name
   * @param settings the settings, in source order
   */
  record McpServer(String name, List<McpSetting> settings) implements Declaration {
    /** Validates and copies. */
    public McpServer {
      Identifiers.check(name, "name");
      settings = List.copyOf(settings);
    }
  }
}
