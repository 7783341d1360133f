package dev.colloquy.spring;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.dsl.Definitions;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The agents of the definition files by name, always in their current version: the bean {@code
 * colloquyAgents}.
 *
 * <p>Without {@code colloquy.agents.watch} the definitions never change, and {@link #get} returns
 * the same instance as the agent's bean. With it, the definitions are reloaded when the files
 * change: call {@link #get} for each turn to pick up an edit (a turn already running finishes on
 * the version it started with). Code written against the registry works either way.
 *
 * <pre>{@code
 * String reply = agents.get("support").chat("customer-42", "Where is order 1001?");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AgentRegistry {
  private final Supplier<Definitions> definitions;

  AgentRegistry(Supplier<Definitions> definitions) {
    this.definitions = Objects.requireNonNull(definitions, "definitions");
  }

  /**
   * Returns the current version of an agent.
   *
   * @param name the agent's name in the files
   * @throws IllegalArgumentException when no agent has that name (the message lists those that do)
   */
  public Agent get(String name) {
    return definitions.get().agent(Objects.requireNonNull(name, "name"));
  }

  /** Returns the current agents' names, in declaration order. */
  public Set<String> names() {
    return definitions.get().agentNames();
  }

  /**
   * Returns the current definitions: the agents, and the flows, templates and secrets of the files.
   */
  public Definitions definitions() {
    return definitions.get();
  }
}
