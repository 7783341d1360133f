package dev.colloquy.core.memory;

import dev.colloquy.core.model.TokenUsage;
import java.time.Instant;
import java.util.Objects;

/**
 * What is known about one committed turn, kept with the conversation's messages: who it was for,
 * which model answered and what it cost.
 *
 * @param tenant the tenant (or user) the turn ran for; not blank
 * @param modelId the model that wrote the final answer, as the backend named it; empty when unknown
 * @param usage the tokens the whole turn used, tool round trips included
 * @param committedAt when the turn was committed
 */
public record TurnRecord(String tenant, String modelId, TokenUsage usage, Instant committedAt) {

  /** The tenant of turns that name none. */
  public static final String DEFAULT_TENANT = "default";

  /** Validates the fields. */
  public TurnRecord {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(committedAt, "committedAt");
    if (tenant.isBlank()) {
      throw new IllegalArgumentException("a turn record's tenant must not be blank");
    }
  }

  /**
   * Returns the record of a turn committed by hand: default tenant, no model, no usage.
   *
   * @param committedAt when the turn was committed
   */
  public static TurnRecord manual(Instant committedAt) {
    return new TurnRecord(DEFAULT_TENANT, "", TokenUsage.ZERO, committedAt);
  }
}
