package dev.colloquy.core.cost;

import java.math.BigDecimal;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Budgets per conversation and per tenant, each a ladder of limits with an action: say, switch to a
 * cheaper model at 0.50, stop at 1.00. {@link #check} is called before a turn; it looks at the
 * tenant first, then the conversation, and returns the action of the highest limit reached ({@code
 * spent >= limit}), a tenant's {@link BudgetAction.Stop} winning over everything.
 *
 * <pre>{@code
 * BudgetPolicy budgets = BudgetPolicy.builder()
 *     .perConversation(new BigDecimal("0.50"), BudgetAction.switchModel("small"))
 *     .perConversation(new BigDecimal("1.00"), BudgetAction.stop())
 *     .perTenant(new BigDecimal("100"), BudgetAction.stop())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class BudgetPolicy {

  private final NavigableMap<BigDecimal, BudgetAction> conversation;
  private final NavigableMap<BigDecimal, BudgetAction> tenant;

  private BudgetPolicy(Builder b) {
    conversation = new TreeMap<>(b.conversation);
    tenant = new TreeMap<>(b.tenant);
  }

  /** Returns a builder with no budgets. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides whether a turn of a conversation may run as usual.
   *
   * @param ledger the running costs
   * @param tenantId the tenant
   * @param conversationId the conversation
   */
  public BudgetDecision check(CostLedger ledger, String tenantId, String conversationId) {
    Objects.requireNonNull(ledger, "ledger");
    BudgetDecision tenantDecision =
        decide(BudgetDecision.Scope.TENANT, tenant, ledger.tenant(tenantId).cost());
    if (tenantDecision instanceof BudgetDecision.OverBudget over
        && over.action() instanceof BudgetAction.Stop) {
      return tenantDecision;
    }
    BudgetDecision conversationDecision =
        decide(
            BudgetDecision.Scope.CONVERSATION,
            conversation,
            ledger.conversation(tenantId, conversationId).cost());
    return conversationDecision instanceof BudgetDecision.OverBudget
        ? conversationDecision
        : tenantDecision;
  }

  private static BudgetDecision decide(
      BudgetDecision.Scope scope, NavigableMap<BigDecimal, BudgetAction> ladder, BigDecimal spent) {
    Map.Entry<BigDecimal, BudgetAction> reached = ladder.floorEntry(spent);
    return reached == null
        ? BudgetDecision.withinBudget()
        : new BudgetDecision.OverBudget(scope, reached.getKey(), spent, reached.getValue());
  }

  /** Builds a {@link BudgetPolicy}; each limit of a scope may be set once. */
  public static final class Builder {
    private final NavigableMap<BigDecimal, BudgetAction> conversation = new TreeMap<>();
    private final NavigableMap<BigDecimal, BudgetAction> tenant = new TreeMap<>();

    private Builder() {}

    /** Adds a conversation budget: at {@code limit} spent, take {@code action}. */
    public Builder perConversation(BigDecimal limit, BudgetAction action) {
      add("perConversation", conversation, limit, action);
      return this;
    }

    /** Adds a tenant budget: at {@code limit} spent, take {@code action}. */
    public Builder perTenant(BigDecimal limit, BudgetAction action) {
      add("perTenant", tenant, limit, action);
      return this;
    }

    private static void add(
        String name,
        NavigableMap<BigDecimal, BudgetAction> ladder,
        BigDecimal limit,
        BudgetAction action) {
      Objects.requireNonNull(limit, name + " limit");
      Objects.requireNonNull(action, name + " action");
      if (limit.signum() <= 0) {
        throw new IllegalArgumentException(name + " limit must be positive, was " + limit);
      }
      BudgetAction existing = ladder.get(limit);
      if (existing != null) {
        throw new IllegalStateException(
            name + " limit " + limit.toPlainString() + " was already set to " + existing);
      }
      ladder.put(limit, action);
    }

    /** Returns the policy; the builder is unchanged. */
    public BudgetPolicy build() {
      return new BudgetPolicy(this);
    }
  }
}
