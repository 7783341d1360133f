package dev.colloquy.core.model;

/**
 * Tokens consumed by a call. Backends that do not report usage give {@link #ZERO}.
 *
 * @param inputTokens tokens in the prompt
 * @param outputTokens tokens generated
 */
public record TokenUsage(long inputTokens, long outputTokens) {

  /** No tokens. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0);

  /** Validates that both counts are zero or more. */
  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must not be negative: input=" + inputTokens + ", output=" + outputTokens);
    }
  }

  /** Returns input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** Returns the sum of this usage and another. */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
  }
}
