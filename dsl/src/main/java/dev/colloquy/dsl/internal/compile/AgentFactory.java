package dev.colloquy.dsl.internal.compile;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.prompt.PromptTemplate;

/**
 * Builds a core {@link Agent} from a checked plan with {@code Agent.builder()}: the same object
 * the fluent API makes, so definitions need no runtime of their own.
 */
public final class AgentFactory {
  private AgentFactory() {
  }

  /**
   * Builds the agent.
   *
   * @param plan the checked plan
   * @param model the bound model
   * @param memory the memory to use (kept across reloads by the loader)
   */
  public static Agent build(AgentPlan plan, ChatModel model, ChatMemory memory) {
    Agent.Builder builder = Agent.builder().model(model).memory(memory);
    if (!plan.systemPrompt().isEmpty()) {
      PromptTemplate template = plan.declaredVariables() != null
          ? PromptTemplate.declared(plan.promptName(), plan.systemPrompt(), plan.declaredVariables())
          : PromptTemplate.of(plan.promptName(), plan.systemPrompt());
      builder.system(template);
    }
    plan.variables().forEach(builder::variable);
    if (!plan.expected().isEmpty()) {
      builder.expectVariables(plan.expected().toArray(String[]::new));
    }
    if (!plan.options().equals(ChatOptions.defaults())) {
      builder.options(plan.options());
    }
    return builder.build();
  }
}
