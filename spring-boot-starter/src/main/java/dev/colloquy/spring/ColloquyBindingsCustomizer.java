package dev.colloquy.spring;

import dev.colloquy.dsl.Bindings;

/**
 * Adds to what agent definition files may name, beyond what the starter binds (every {@code
 * ChatModel} bean under its bean name and the agents' model as {@code "default"}, and every
 * {@code @Tool} method of every bean). Declare beans of this type to bind functions, predicates or
 * an environment for secrets; they run in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * ColloquyBindingsCustomizer escalation(Tickets tickets) {
 *   return bindings -> bindings.function("escalate", input -> tickets.open(input));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ColloquyBindingsCustomizer {

  /**
   * Adds bindings.
   *
   * @param bindings the builder, already holding the starter's models and tools
   */
  void customize(Bindings.Builder bindings);
}
