package dev.colloquy.examples;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.test.ScriptedChatModel;

/**
 * The README's quick start: a multi-turn agent with memory, on a scripted backend, offline. Swap
 * the scripted model for a local or remote one and nothing else changes.
 */
public final class QuickStart {

  private QuickStart() {}

  /**
   * Runs a short conversation and prints it.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    var model =
        ScriptedChatModel.builder()
            .whenUserMatches("(?i)my name is (\\w+)", "Nice to meet you! How can I help?")
            .whenUserMatches("(?i)what.*my name", "You told me earlier, in this same conversation.")
            .otherwise(
                request -> "I remember " + (request.messages().size() - 2) + " earlier messages.")
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .system("You are the assistant of {{shop}}. Be brief.")
            .variable("shop", "Acme Books")
            .memory(ChatMemory.window(20))
            .build();

    for (String text : new String[] {"Hi, my name is Ada.", "What is my name?", "Thanks!"}) {
      System.out.println("you:   " + text);
      System.out.println("agent: " + agent.chat("ada", text));
    }
    System.out.println(
        "(the model saw " + model.lastRequest().messages().size() + " messages on the last turn)");
  }
}
