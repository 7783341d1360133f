package dev.colloquy.core.cost;

import dev.colloquy.core.model.TokenUsage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * The price of a model's tokens, in the price table's currency.
 *
 * @param inputPerMillion the price of one million prompt tokens; zero or more
 * @param outputPerMillion the price of one million generated tokens; zero or more
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** Validates the prices. */
  public ModelPrice {
    Objects.requireNonNull(inputPerMillion, "inputPerMillion");
    Objects.requireNonNull(outputPerMillion, "outputPerMillion");
    if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
      throw new IllegalArgumentException(
          "prices must not be negative: input=" + inputPerMillion + ", output=" + outputPerMillion);
    }
  }

  /** Returns a price from decimal strings, as in {@code ModelPrice.of("0.15", "0.60")}. */
  public static ModelPrice of(String inputPerMillion, String outputPerMillion) {
    return new ModelPrice(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
  }

  /** Returns what the usage costs at this price. */
  public BigDecimal cost(TokenUsage usage) {
    BigDecimal in = inputPerMillion.multiply(BigDecimal.valueOf(usage.inputTokens()));
    BigDecimal out = outputPerMillion.multiply(BigDecimal.valueOf(usage.outputTokens()));
    return in.add(out).divide(MILLION, MathContext.DECIMAL64).stripTrailingZeros();
  }
}
