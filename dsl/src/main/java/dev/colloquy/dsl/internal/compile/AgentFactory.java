package dev.colloquy.dsl.internal.compile;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.guard.Guard;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.observe.Tracing;
import dev.colloquy.core.prompt.PromptTemplate;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.core.tool.Toolbox;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds a core {@link Agent} from a checked plan with {@code Agent.builder()}: the same object the
 * fluent API makes, so definitions need no runtime of their own.
 */
public final class AgentFactory {
  private AgentFactory() {}

  /**
   * Builds the agent.
   *
   * @param plan the checked plan
   * @param model the bound model
   * @param memory the memory to use (kept across reloads by the loader)
   * @param tools the agent's tools, in the order the file lists them
   * @param guards the bound guards by name
   * @param tracing the tracing of the agent's turns, if any
   */
  public static Agent build(
      AgentPlan plan,
      ChatModel model,
      ChatMemory memory,
      List<ToolDefinition> tools,
      Function<String, Guard> guards,
      Optional<Tracing> tracing) {
    // The file's name for the agent names its spans too.
    Agent.Builder builder = Agent.builder().name(plan.name()).model(model).memory(memory);
    tracing.ifPresent(builder::tracing);
    if (!plan.systemPrompt().isEmpty()) {
      PromptTemplate template =
          plan.declaredVariables() != null
              ? PromptTemplate.declared(
                  plan.promptName(), plan.systemPrompt(), plan.declaredVariables())
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
    AgentPlan.Budget budget = plan.budget();
    if (!tools.isEmpty()) {
      // The file's tool list is the agent's allow-list: only these tools are added at all.
      Toolbox.Builder box = Toolbox.builder();
      tools.forEach(box::add);
      if (budget.rounds() != null) {
        box.maxRoundTrips(budget.rounds());
      }
      if (budget.toolCalls() != null) {
        box.maxToolCalls(budget.toolCalls());
      }
      if (budget.toolTimeout() != null) {
        box.toolTimeout(budget.toolTimeout());
      }
      builder.toolbox(box.build());
    }
    if (plan.inputGuard() != null) {
      builder.inputGuard(guards.apply(plan.inputGuard()));
    }
    if (plan.outputGuard() != null) {
      builder.outputGuard(guards.apply(plan.outputGuard()));
    }
    if (plan.refusal() != null) {
      builder.refusal(plan.refusal());
    }
    if (budget.deadline() != null) {
      builder.turnDeadline(budget.deadline());
    }
    return builder.build();
  }
}
