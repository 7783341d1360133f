package dev.colloquy.core.model;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One generated token with its log-probability and the most likely alternatives at its position, as
 * the OpenAI API reports them ({@code logprobs.content[]}). Asked for with {@link
 * ChatOptions.Builder#logprobs(int)}; found in {@link ChatResponse#logprobs()}.
 *
 * <p>The token text is what the token's bytes decode to on their own: a token holding part of a
 * multi-byte character shows U+FFFD there, so the texts of the tokens, joined, need not equal the
 * reply's text; the bytes, joined, are the reply's UTF-8 bytes where the backend reports them
 * exactly (the local backend does; servers vary).
 *
 * <p>Immutable: the bytes are copied in and out.
 *
 * @param token the token's text, as its bytes decode
 * @param logprob the natural logarithm of the token's probability; zero or less, never NaN
 * @param bytes the token's UTF-8 bytes; empty when the backend did not report them
 * @param topLogprobs the most likely tokens at this position, most likely first, as many as asked
 *     for (fewer where the backend had fewer); empty when none were asked for
 */
public record TokenLogprob(
    String token, double logprob, byte[] bytes, List<Alternative> topLogprobs) {

  /** The most alternatives one position may carry: 20, as in the OpenAI API. */
  public static final int MAX_TOP_LOGPROBS = 20;

  /** Validates the fields and copies the bytes and the alternatives. */
  public TokenLogprob {
    Objects.requireNonNull(token, "token");
    checkLogprob(logprob);
    logprob += 0.0; // -0.0 becomes 0.0, so that equal probabilities make equal records
    bytes = Objects.requireNonNull(bytes, "bytes").clone();
    topLogprobs = List.copyOf(Objects.requireNonNull(topLogprobs, "topLogprobs"));
    if (topLogprobs.size() > MAX_TOP_LOGPROBS) {
      throw new IllegalArgumentException(
          "at most " + MAX_TOP_LOGPROBS + " top logprobs are allowed, got " + topLogprobs.size());
    }
  }

  /** Returns a copy of the token's UTF-8 bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Returns the probability, {@code exp(logprob)}. */
  public double probability() {
    return Math.exp(logprob);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenLogprob other
        && token.equals(other.token)
        && Double.compare(logprob, other.logprob) == 0
        && Arrays.equals(bytes, other.bytes)
        && topLogprobs.equals(other.topLogprobs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(token, logprob, Arrays.hashCode(bytes), topLogprobs);
  }

  @Override
  public String toString() {
    return "TokenLogprob[token="
        + token
        + ", logprob="
        + logprob
        + ", bytes="
        + HexFormat.of().formatHex(bytes)
        + ", topLogprobs="
        + topLogprobs
        + "]";
  }

  private static void checkLogprob(double logprob) {
    if (!(logprob <= 0)) {
      throw new IllegalArgumentException("logprob must be zero or less, was " + logprob);
    }
  }

  /**
   * One of the most likely tokens at a position.
   *
   * <p>Immutable: the bytes are copied in and out.
   *
   * @param token the token's text, as its bytes decode
   * @param logprob the natural logarithm of its probability; zero or less, never NaN
   * @param bytes its UTF-8 bytes; empty when the backend did not report them
   */
  public record Alternative(String token, double logprob, byte[] bytes) {

    /** Validates the fields and copies the bytes. */
    public Alternative {
      Objects.requireNonNull(token, "token");
      checkLogprob(logprob);
      logprob += 0.0; // -0.0 becomes 0.0, as in TokenLogprob
      bytes = Objects.requireNonNull(bytes, "bytes").clone();
    }

    /** Returns a copy of the token's UTF-8 bytes. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** Returns the probability, {@code exp(logprob)}. */
    public double probability() {
      return Math.exp(logprob);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Alternative other
          && token.equals(other.token)
          && Double.compare(logprob, other.logprob) == 0
          && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Objects.hash(token, logprob, Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
      return "Alternative[token="
          + token
          + ", logprob="
          + logprob
          + ", bytes="
          + HexFormat.of().formatHex(bytes)
          + "]";
    }
  }
}
