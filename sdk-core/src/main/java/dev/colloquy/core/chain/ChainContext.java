package dev.colloquy.core.chain;

import dev.colloquy.core.Cancellation;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What every step of a chain run shares: the conversation it works for, variables, and the caller's
 * cancellation signal.
 *
 * @param conversationId the conversation; steps that call an agent use it
 * @param variables values steps may read (template variables of model steps, say)
 * @param cancellation cancelled by the caller; steps check it and pass it to models and tools
 */
public record ChainContext(
    String conversationId, Map<String, Object> variables, Cancellation cancellation) {

  /** Validates and copies the fields. */
  public ChainContext {
    Objects.requireNonNull(conversationId, "conversationId");
    variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
    Objects.requireNonNull(cancellation, "cancellation");
    if (conversationId.isBlank()) {
      throw new IllegalArgumentException("conversationId must not be blank");
    }
  }

  /** Returns a context with no variables that is never cancelled. */
  public static ChainContext of(String conversationId) {
    return new ChainContext(conversationId, Map.of(), Cancellation.none());
  }

  /** Returns this context with another cancellation signal. */
  public ChainContext withCancellation(Cancellation newCancellation) {
    return new ChainContext(conversationId, variables, newCancellation);
  }

  /** Returns this context with other variables. */
  public ChainContext withVariables(Map<String, ?> newVariables) {
    return new ChainContext(conversationId, Map.copyOf(newVariables), cancellation);
  }

  /** Returns a variable's value, if set. */
  public Optional<Object> variable(String name) {
    return Optional.ofNullable(variables.get(name));
  }
}
