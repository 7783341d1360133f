package dev.colloquy.core.cost;

import dev.colloquy.core.model.TokenUsage;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a conversation or a tenant has spent so far.
 *
 * @param cost the total cost, in the price table's currency
 * @param usage the total tokens
 * @param calls the model calls recorded
 * @param unpricedTokens tokens of models the price table does not price (counted in usage, not in
 *     cost)
 */
public record Spend(BigDecimal cost, TokenUsage usage, long calls, long unpricedTokens) {

  /** Nothing spent. */
  public static final Spend NONE = new Spend(BigDecimal.ZERO, TokenUsage.ZERO, 0, 0);

  /** Validates the fields. */
  public Spend {
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(usage, "usage");
    if (cost.signum() < 0 || calls < 0 || unpricedTokens < 0) {
      throw new IllegalArgumentException(
          "spend must not be negative: cost="
              + cost
              + ", calls="
              + calls
              + ", unpricedTokens="
              + unpricedTokens);
    }
  }

  Spend plus(BigDecimal addedCost, TokenUsage addedUsage, long addedUnpriced) {
    return new Spend(
        cost.add(addedCost), usage.plus(addedUsage), calls + 1, unpricedTokens + addedUnpriced);
  }
}
