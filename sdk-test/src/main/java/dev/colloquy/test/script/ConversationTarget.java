package dev.colloquy.test.script;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.agent.Turn;
import java.util.Map;
import java.util.Objects;

/** What a conversation script or an evaluation talks to: usually an {@link Agent}. */
@FunctionalInterface
public interface ConversationTarget {

  /**
   * Sends one user turn and returns the completed turn.
   *
   * @param conversationId the conversation the turn belongs to
   * @param text what the user says
   */
  Reply send(String conversationId, String text);

  /**
   * Returns a target that runs each turn on the agent. An agent that expects prompt variables
   * ({@code expectVariables}, or {@code expect} in the DSL) needs {@link #of(Agent, Map)}.
   */
  static ConversationTarget of(Agent agent) {
    return of(agent, Map.of());
  }

  /**
   * Returns a target that runs each turn on the agent with these prompt variables, as an
   * application supplies them per turn (for an agent that declares expected variables).
   *
   * @param agent the agent
   * @param variables the variables of every turn; copied
   */
  static ConversationTarget of(Agent agent, Map<String, ?> variables) {
    Objects.requireNonNull(agent, "agent");
    Map<String, Object> copy = Map.copyOf(variables);
    return (conversationId, text) -> agent.run(Turn.of(conversationId, text).withVariables(copy));
  }
}
