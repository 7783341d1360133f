package dev.colloquy.core.agent;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.model.StreamListener;
import java.util.Map;
import java.util.Objects;

/**
 * One user turn with every setting a caller can give: for {@link Agent#run(Turn)}, when the
 * shorthand {@code chat} and {@code stream} methods are not enough.
 *
 * @param conversationId the conversation; not blank
 * @param text what the user said; not empty
 * @param variables values for the system prompt's variables, on top of the agent's defaults
 * @param listener receives the reply's text as it is generated
 * @param cancellation stops the turn when cancelled
 * @param tenant who the conversation belongs to, for cost accounting and budgets; {@code "default"}
 *     unless set
 */
public record Turn(
    String conversationId,
    String text,
    Map<String, Object> variables,
    StreamListener listener,
    Cancellation cancellation,
    String tenant) {

  /** The tenant of turns that name none. */
  public static final String DEFAULT_TENANT = dev.colloquy.core.memory.TurnRecord.DEFAULT_TENANT;

  /** Validates and copies the fields. */
  public Turn {
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(text, "text");
    variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(cancellation, "cancellation");
    Objects.requireNonNull(tenant, "tenant");
    if (tenant.isBlank()) {
      throw new IllegalArgumentException("tenant must not be blank");
    }
    if (conversationId.isBlank()) {
      throw new IllegalArgumentException("conversationId must not be blank");
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the user's text must not be empty");
    }
  }

  /** Returns a turn with no variables, no listener and no cancellation. */
  public static Turn of(String conversationId, String text) {
    return new Turn(
        conversationId, text, Map.of(), StreamListener.NONE, Cancellation.none(), DEFAULT_TENANT);
  }

  /** Returns this turn with other variables. */
  public Turn withVariables(Map<String, ?> newVariables) {
    return new Turn(conversationId, text, Map.copyOf(newVariables), listener, cancellation, tenant);
  }

  /** Returns this turn with another listener. */
  public Turn withListener(StreamListener newListener) {
    return new Turn(conversationId, text, variables, newListener, cancellation, tenant);
  }

  /** Returns this turn with another cancellation signal. */
  public Turn withCancellation(Cancellation newCancellation) {
    return new Turn(conversationId, text, variables, listener, newCancellation, tenant);
  }

  /** Returns this turn for another tenant. */
  public Turn withTenant(String newTenant) {
    return new Turn(conversationId, text, variables, listener, cancellation, newTenant);
  }
}
