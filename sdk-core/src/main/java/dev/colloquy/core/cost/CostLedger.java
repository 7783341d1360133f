package dev.colloquy.core.cost;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.TokenUsage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The running cost of each conversation and each tenant, priced by a {@link PriceTable}.
 *
 * <p>Conversations are keyed by tenant and conversation id, and forgotten after a day without calls
 * (configurable); tenants are kept until {@link #resetTenant}, so an application resets them at the
 * start of each billing period. Thread-safe; a record is atomic per key.
 */
public final class CostLedger {

  private final PriceTable prices;
  private final Cache<ConversationKey, Spend> conversations;
  private final Cache<String, Spend> tenants;

  private record ConversationKey(String tenantId, String conversationId) {}

  private CostLedger(PriceTable prices, Duration idle, Clock clock) {
    this.prices = prices;
    this.conversations =
        Caffeine.newBuilder()
            .expireAfterAccess(idle)
            .ticker(() -> nanos(clock.instant()))
            .executor(Runnable::run)
            .build();
    this.tenants = Caffeine.newBuilder().build();
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /**
   * Returns a ledger that forgets a conversation after a day without calls, on the system clock.
   *
   * @param prices the prices
   */
  public static CostLedger of(PriceTable prices) {
    return of(prices, Duration.ofDays(1), Clock.systemUTC());
  }

  /**
   * Returns a ledger.
   *
   * @param prices the prices
   * @param forgetIdleConversationsAfter how long a conversation's spend is kept after its last
   *     call; positive
   * @param clock the time source of that expiry
   */
  public static CostLedger of(
      PriceTable prices, Duration forgetIdleConversationsAfter, Clock clock) {
    Objects.requireNonNull(prices, "prices");
    Objects.requireNonNull(forgetIdleConversationsAfter, "forgetIdleConversationsAfter");
    Objects.requireNonNull(clock, "clock");
    if (forgetIdleConversationsAfter.isNegative() || forgetIdleConversationsAfter.isZero()) {
      throw new IllegalArgumentException(
          "forgetIdleConversationsAfter must be positive, was " + forgetIdleConversationsAfter);
    }
    return new CostLedger(prices, forgetIdleConversationsAfter, clock);
  }

  /**
   * Records one model call's usage against a conversation and its tenant.
   *
   * @param tenantId the tenant; not blank
   * @param conversationId the conversation; not blank
   * @param response the model's response, whose model id and usage are priced
   * @return the conversation's spend after this call
   */
  public Spend record(String tenantId, String conversationId, ChatResponse response) {
    Objects.requireNonNull(response, "response");
    return record(tenantId, conversationId, response.modelId(), response.usage());
  }

  /**
   * Records one model call's usage against a conversation and its tenant.
   *
   * @param tenantId the tenant; not blank
   * @param conversationId the conversation; not blank
   * @param modelId the model that answered
   * @param usage the tokens it used
   * @return the conversation's spend after this call
   */
  public Spend record(String tenantId, String conversationId, String modelId, TokenUsage usage) {
    requireText("tenantId", tenantId);
    requireText("conversationId", conversationId);
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(usage, "usage");
    var cost = prices.costOf(modelId, usage);
    BigDecimal added = cost.orElse(BigDecimal.ZERO);
    long unpriced = cost.isPresent() ? 0 : usage.totalTokens();
    tenants
        .asMap()
        .compute(
            tenantId, (k, old) -> (old == null ? Spend.NONE : old).plus(added, usage, unpriced));
    return conversations
        .asMap()
        .compute(
            new ConversationKey(tenantId, conversationId),
            (k, old) -> (old == null ? Spend.NONE : old).plus(added, usage, unpriced));
  }

  /** Returns what a conversation has spent; {@link Spend#NONE} when unknown or forgotten. */
  public Spend conversation(String tenantId, String conversationId) {
    Spend spend = conversations.getIfPresent(new ConversationKey(tenantId, conversationId));
    return spend != null ? spend : Spend.NONE;
  }

  /** Returns what a tenant has spent since it was last reset; {@link Spend#NONE} when unknown. */
  public Spend tenant(String tenantId) {
    Spend spend = tenants.getIfPresent(Objects.requireNonNull(tenantId, "tenantId"));
    return spend != null ? spend : Spend.NONE;
  }

  /** Sets a tenant's spend back to nothing, as at the start of a billing period. */
  public void resetTenant(String tenantId) {
    tenants.invalidate(Objects.requireNonNull(tenantId, "tenantId"));
  }

  private static void requireText(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
