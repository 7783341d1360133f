package dev.colloquy.test.script;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.agent.Turn;
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

  /** Returns a target that runs each turn on the agent. */
  static ConversationTarget of(Agent agent) {
    Objects.requireNonNull(agent, "agent");
    return (conversationId, text) -> agent.run(Turn.of(conversationId, text));
  }
}
