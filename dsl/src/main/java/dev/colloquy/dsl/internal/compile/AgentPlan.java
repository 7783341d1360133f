package dev.colloquy.dsl.internal.compile;

import dev.colloquy.core.model.ChatOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An agent declaration after checking: every name resolved, every value valid. Building the core
 * agent from a plan cannot fail on anything the file says.
 *
 * @param name the agent's name
 * @param model the bound model's name
 * @param promptName the system prompt's name in template errors (the template's name or {@code
 *     agent <name> system prompt}); empty when there is no system prompt
 * @param systemPrompt the system prompt's text; empty when there is none
 * @param declaredVariables the template's declared variables, or null for an inline prompt
 * @param variables default values of prompt variables
 * @param expected variables each turn supplies
 * @param memory the memory policy
 * @param tools the tools' names
 * @param options the default options
 * @param budget the per-turn limits
 * @param inputGuard the input guard's name, or null
 * @param outputGuard the output guard's name, or null
 * @param refusal the refusal text, or null for the core default
 */
public record AgentPlan(
    String name,
    String model,
    String promptName,
    String systemPrompt,
    Set<String> declaredVariables,
    Map<String, String> variables,
    Set<String> expected,
    MemoryPlan memory,
    List<String> tools,
    ChatOptions options,
    Budget budget,
    String inputGuard,
    String outputGuard,
    String refusal) {

  /** The default memory window, as in {@code Agent.Builder}. */
  public static final int DEFAULT_WINDOW = 20;

  /**
   * How much of each conversation the agent keeps.
   *
   * @param window the most messages kept; 0 for no message limit (a token budget alone)
   * @param tokens the token budget, counted with the agent's model's tokenizer; 0 for none
   * @param summarizer the bound model that summarizes dropped turns; empty for none
   */
  public record MemoryPlan(int window, int tokens, String summarizer) {
    /** A window of {@link #DEFAULT_WINDOW} messages, no summaries. */
    public static final MemoryPlan DEFAULT = new MemoryPlan(DEFAULT_WINDOW, 0, "");
  }

  /**
   * Per-turn limits; a null field was not set and keeps the core default.
   *
   * @param rounds model round trips per turn
   * @param toolCalls tool calls per turn
   * @param toolTimeout the per-tool timeout
   * @param deadline the deadline of a whole turn
   */
  public record Budget(Integer rounds, Integer toolCalls, Duration toolTimeout, Duration deadline) {
    /** Returns whether any limit was set. */
    public boolean isSet() {
      return rounds != null || toolCalls != null || toolTimeout != null || deadline != null;
    }
  }
}
