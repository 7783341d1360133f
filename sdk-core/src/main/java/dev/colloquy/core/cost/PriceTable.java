package dev.colloquy.core.cost;

import dev.colloquy.core.model.TokenUsage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices per model, in one currency the application chooses. A model id matches its own entry, else
 * the longest entry it starts with, so {@code gpt-4o-mini} also prices {@code
 * gpt-4o-mini-2024-07-18} as backends report it.
 *
 * <p>Immutable and thread-safe.
 */
public final class PriceTable {

  private final Map<String, ModelPrice> prices;

  private PriceTable(Map<String, ModelPrice> prices) {
    this.prices = Map.copyOf(prices);
  }

  /** Returns a builder of an empty table. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the price of a model, if the table has it.
   *
   * @param modelId the model id as a response names it
   */
  public Optional<ModelPrice> priceOf(String modelId) {
    Objects.requireNonNull(modelId, "modelId");
    ModelPrice exact = prices.get(modelId);
    if (exact != null) {
      return Optional.of(exact);
    }
    String best = null;
    for (String key : prices.keySet()) {
      if (modelId.startsWith(key) && (best == null || key.length() > best.length())) {
        best = key;
      }
    }
    return Optional.ofNullable(best == null ? null : prices.get(best));
  }

  /**
   * Returns what a usage of a model costs, if the table prices the model.
   *
   * @param modelId the model id as a response names it
   * @param usage the tokens used
   */
  public Optional<BigDecimal> costOf(String modelId, TokenUsage usage) {
    Objects.requireNonNull(usage, "usage");
    return priceOf(modelId).map(price -> price.cost(usage));
  }

  /** Builds a {@link PriceTable}; each model may be priced once. */
  public static final class Builder {
    private final Map<String, ModelPrice> prices = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Prices a model.
     *
     * @param modelId the model id, or a prefix of the ids it should price; not blank
     * @param price its price
     */
    public Builder price(String modelId, ModelPrice price) {
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(price, "price");
      if (modelId.isBlank()) {
        throw new IllegalArgumentException("a priced model id must not be blank");
      }
      if (prices.containsKey(modelId)) {
        throw new IllegalStateException(
            "model '" + modelId + "' was already priced at " + prices.get(modelId));
      }
      prices.put(modelId, price);
      return this;
    }

    /** Returns the table; the builder is unchanged. */
    public PriceTable build() {
      return new PriceTable(prices);
    }
  }
}
