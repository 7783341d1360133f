package dev.colloquy.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.fakes.MutableClock;
import dev.colloquy.core.model.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CostTest {

  private final MutableClock clock = new MutableClock();
  private final PriceTable prices =
      PriceTable.builder()
          .price("gpt-4o-mini", ModelPrice.of("0.15", "0.60"))
          .price("local", ModelPrice.of("0", "0"))
          .build();
  private final CostLedger ledger = CostLedger.of(prices, Duration.ofHours(24), clock);

  @Test
  void pricesInputAndOutputTokensPerMillion() {
    assertThat(prices.costOf("gpt-4o-mini", new TokenUsage(1_000_000, 500_000)))
        .hasValueSatisfying(cost -> assertThat(cost).isEqualByComparingTo("0.45"));
  }

  @Test
  void pricesADatedModelIdByItsLongestPrefix() {
    assertThat(prices.priceOf("gpt-4o-mini-2024-07-18")).contains(ModelPrice.of("0.15", "0.60"));
    assertThat(prices.priceOf("unknown")).isEmpty();
  }

  @Test
  void keepsARunningCostPerConversationAndPerTenant() {
    ledger.record("acme", "c1", "gpt-4o-mini", new TokenUsage(1_000_000, 0));
    ledger.record("acme", "c2", "gpt-4o-mini", new TokenUsage(0, 1_000_000));
    Spend c1 = ledger.record("acme", "c1", "gpt-4o-mini", new TokenUsage(1_000_000, 0));

    assertThat(c1.cost()).isEqualByComparingTo("0.30");
    assertThat(c1.calls()).isEqualTo(2);
    assertThat(ledger.conversation("acme", "c2").cost()).isEqualByComparingTo("0.60");
    assertThat(ledger.tenant("acme").cost()).isEqualByComparingTo("0.90");
    assertThat(ledger.tenant("acme").usage()).isEqualTo(new TokenUsage(2_000_000, 1_000_000));
  }

  @Test
  void countsTokensOfUnpricedModelsWithoutPricingThem() {
    Spend spend = ledger.record("acme", "c1", "mystery-model", new TokenUsage(70, 30));

    assertThat(spend.cost()).isEqualByComparingTo("0");
    assertThat(spend.unpricedTokens()).isEqualTo(100);
  }

  @Test
  void forgetsAnIdleConversationButNotItsTenant() {
    ledger.record("acme", "c1", "gpt-4o-mini", new TokenUsage(1_000_000, 0));

    clock.advance(Duration.ofHours(25));

    assertThat(ledger.conversation("acme", "c1")).isEqualTo(Spend.NONE);
    assertThat(ledger.tenant("acme").cost()).isEqualByComparingTo("0.15");
  }

  @Test
  void aBudgetStopsAConversationThatSpentItsLimit() {
    BudgetPolicy budgets =
        BudgetPolicy.builder()
            .perConversation(new BigDecimal("0.50"), BudgetAction.switchModel("local"))
            .perConversation(new BigDecimal("1.00"), BudgetAction.stop())
            .build();

    assertThat(budgets.check(ledger, "acme", "c1")).isEqualTo(BudgetDecision.withinBudget());
    ledger.record("acme", "c1", "gpt-4o-mini", new TokenUsage(0, 1_000_000));
    assertThat(budgets.check(ledger, "acme", "c1"))
        .isInstanceOfSatisfying(
            BudgetDecision.OverBudget.class,
            over -> assertThat(over.action()).isEqualTo(BudgetAction.switchModel("local")));
    ledger.record("acme", "c1", "gpt-4o-mini", new TokenUsage(0, 1_000_000));

    BudgetDecision decision = budgets.check(ledger, "acme", "c1");

    assertThat(decision)
        .isInstanceOfSatisfying(
            BudgetDecision.OverBudget.class,
            over -> {
              assertThat(over.action()).isEqualTo(BudgetAction.stop());
              assertThat(over.scope()).isEqualTo(BudgetDecision.Scope.CONVERSATION);
              assertThat(over.describe())
                  .isEqualTo("the conversation budget of 1.00 is used up (spent 1.2)");
            });
    assertThat(budgets.check(ledger, "acme", "c2")).isEqualTo(BudgetDecision.withinBudget());
  }

  @Test
  void aTenantStopWinsOverAConversationAction() {
    BudgetPolicy budgets =
        BudgetPolicy.builder()
            .perConversation(new BigDecimal("0.10"), BudgetAction.trimMemory(4))
            .perTenant(new BigDecimal("0.10"), BudgetAction.stop())
            .build();
    ledger.record("acme", "c1", "gpt-4o-mini", new TokenUsage(1_000_000, 0));

    assertThat(budgets.check(ledger, "acme", "c1"))
        .isInstanceOfSatisfying(
            BudgetDecision.OverBudget.class,
            over -> assertThat(over.scope()).isEqualTo(BudgetDecision.Scope.TENANT));
  }

  @Test
  void buildersRejectRepeatsNamingTheFirstValue() {
    assertThatThrownBy(
            () ->
                PriceTable.builder()
                    .price("m", ModelPrice.of("1", "2"))
                    .price("m", ModelPrice.of("3", "4")))
        .hasMessageStartingWith("model 'm' was already priced at ModelPrice[inputPerMillion=1");
    assertThatThrownBy(
            () ->
                BudgetPolicy.builder()
                    .perTenant(BigDecimal.ONE, BudgetAction.stop())
                    .perTenant(BigDecimal.ONE, BudgetAction.trimMemory(2)))
        .hasMessage("perTenant limit 1 was already set to Stop");
  }
}
