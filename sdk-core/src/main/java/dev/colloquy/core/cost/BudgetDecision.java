package dev.colloquy.core.cost;

import java.math.BigDecimal;
import java.util.Objects;

/** Whether a turn may run as usual, or which budget it is over and what to do. */
public sealed interface BudgetDecision {

  /** Returns the decision that the turn runs as usual. */
  static BudgetDecision withinBudget() {
    return WithinBudget.INSTANCE;
  }

  /** Which spend a budget limits. */
  enum Scope {
    /** One conversation's spend. */
    CONVERSATION,
    /** A tenant's spend, over all its conversations. */
    TENANT
  }

  /** No budget is exceeded. */
  enum WithinBudget implements BudgetDecision {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "WithinBudget";
    }
  }

  /**
   * A budget is exceeded.
   *
   * @param scope whose spend went over
   * @param limit the budget's limit
   * @param spent the spend that reached it
   * @param action what to do
   */
  record OverBudget(Scope scope, BigDecimal limit, BigDecimal spent, BudgetAction action)
      implements BudgetDecision {
    /** Validates the fields. */
    public OverBudget {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(spent, "spent");
      Objects.requireNonNull(action, "action");
    }

    /** Returns a message for the caller: which budget, how much, and that the turn was refused. */
    public String describe() {
      return "the "
          + scope.name().toLowerCase(java.util.Locale.ROOT)
          + " budget of "
          + limit.toPlainString()
          + " is used up (spent "
          + spent.toPlainString()
          + ")";
    }
  }
}
