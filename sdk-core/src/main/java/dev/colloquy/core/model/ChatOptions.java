package dev.colloquy.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Generation settings of a request. Every setting is optional: an unset one leaves the choice to
 * the backend (or to the defaults an agent merges in with {@link #withDefaults}).
 *
 * <p>Immutable and thread-safe; {@code equals} compares every setting, so options can be part of a
 * cache key.
 */
public final class ChatOptions {

  private static final ChatOptions EMPTY = new Builder().build();

  private final Double temperature;
  private final Double topP;
  private final Integer topK;
  private final Integer maxTokens;
  private final List<String> stop;
  private final Long seed;
  private final Double repetitionPenalty;
  private final ResponseFormat responseFormat;
  private final ToolChoice toolChoice;
  private final Integer logprobs;

  private ChatOptions(Builder b) {
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.topK = b.topK;
    this.maxTokens = b.maxTokens;
    this.stop = b.stop == null ? null : List.copyOf(b.stop);
    this.seed = b.seed;
    this.repetitionPenalty = b.repetitionPenalty;
    this.responseFormat = b.responseFormat;
    this.toolChoice = b.toolChoice;
    this.logprobs = b.logprobs;
  }

  /** Returns options with nothing set. */
  public static ChatOptions defaults() {
    return EMPTY;
  }

  /** Returns a builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this object's settings, to derive changed options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.temperature = temperature;
    b.topP = topP;
    b.topK = topK;
    b.maxTokens = maxTokens;
    b.stop = stop;
    b.seed = seed;
    b.repetitionPenalty = repetitionPenalty;
    b.responseFormat = responseFormat;
    b.toolChoice = toolChoice;
    b.logprobs = logprobs;
    b.replacing = true;
    return b;
  }

  /**
   * Returns options holding this object's settings, with each unset one taken from {@code
   * defaults}.
   */
  public ChatOptions withDefaults(ChatOptions defaults) {
    Builder b = new Builder();
    b.temperature = temperature != null ? temperature : defaults.temperature;
    b.topP = topP != null ? topP : defaults.topP;
    b.topK = topK != null ? topK : defaults.topK;
    b.maxTokens = maxTokens != null ? maxTokens : defaults.maxTokens;
    b.stop = stop != null ? stop : defaults.stop;
    b.seed = seed != null ? seed : defaults.seed;
    b.repetitionPenalty =
        repetitionPenalty != null ? repetitionPenalty : defaults.repetitionPenalty;
    b.responseFormat = responseFormat != null ? responseFormat : defaults.responseFormat;
    b.toolChoice = toolChoice != null ? toolChoice : defaults.toolChoice;
    b.logprobs = logprobs != null ? logprobs : defaults.logprobs;
    return b.build();
  }

  /** Sampling temperature, 0 to 2; 0 asks for greedy decoding. */
  public OptionalDouble temperature() {
    return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
  }

  /**
   * Nucleus sampling: keep the most likely tokens whose probabilities add up to this, in (0, 1].
   */
  public OptionalDouble topP() {
    return topP == null ? OptionalDouble.empty() : OptionalDouble.of(topP);
  }

  /** Keep only this many most likely tokens when sampling; at least 1. */
  public OptionalInt topK() {
    return topK == null ? OptionalInt.empty() : OptionalInt.of(topK);
  }

  /** The most tokens to generate; at least 1. */
  public OptionalInt maxTokens() {
    return maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens);
  }

  /** Texts that end the reply when generated; the stop text itself is not part of the reply. */
  public List<String> stop() {
    return stop == null ? List.of() : stop;
  }

  /** A seed that makes sampling repeatable where the backend supports it. */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /** Penalty for repeating tokens already in the context, 1 meaning none; local backends only. */
  public OptionalDouble repetitionPenalty() {
    return repetitionPenalty == null
        ? OptionalDouble.empty()
        : OptionalDouble.of(repetitionPenalty);
  }

  /** The shape the reply must take; free text when unset. */
  public ResponseFormat responseFormat() {
    return responseFormat == null ? ResponseFormat.text() : responseFormat;
  }

  /** Whether and which tools the model may call; the model decides when unset. */
  public ToolChoice toolChoice() {
    return toolChoice == null ? ToolChoice.auto() : toolChoice;
  }

  /**
   * When present, the response carries the log-probability of each generated token and this many
   * most likely alternatives at each position, 0 to 20 ({@link ChatResponse#logprobs()}); absent,
   * none are computed or asked for. A backend whose {@link ModelCapabilities#logprobs()} is false
   * answers with none.
   */
  public OptionalInt logprobs() {
    return logprobs == null ? OptionalInt.empty() : OptionalInt.of(logprobs);
  }

  /** Returns whether the reply is fully determined by the request: temperature 0 or a seed. */
  public boolean isDeterministic() {
    return (temperature != null && temperature == 0.0) || seed != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatOptions other
        && Objects.equals(temperature, other.temperature)
        && Objects.equals(topP, other.topP)
        && Objects.equals(topK, other.topK)
        && Objects.equals(maxTokens, other.maxTokens)
        && Objects.equals(stop, other.stop)
        && Objects.equals(seed, other.seed)
        && Objects.equals(repetitionPenalty, other.repetitionPenalty)
        && Objects.equals(responseFormat(), other.responseFormat())
        && Objects.equals(toolChoice(), other.toolChoice())
        && Objects.equals(logprobs, other.logprobs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        temperature,
        topP,
        topK,
        maxTokens,
        stop,
        seed,
        repetitionPenalty,
        responseFormat(),
        toolChoice(),
        logprobs);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ChatOptions{");
    append(s, "temperature", temperature);
    append(s, "topP", topP);
    append(s, "topK", topK);
    append(s, "maxTokens", maxTokens);
    append(s, "stop", stop);
    append(s, "seed", seed);
    append(s, "repetitionPenalty", repetitionPenalty);
    append(s, "responseFormat", responseFormat);
    append(s, "toolChoice", toolChoice);
    append(s, "logprobs", logprobs);
    if (s.charAt(s.length() - 1) == ' ') {
      s.setLength(s.length() - 2);
    }
    return s.append('}').toString();
  }

  private static void append(StringBuilder s, String name, Object value) {
    if (value != null) {
      s.append(name).append('=').append(value).append(", ");
    }
  }

  /**
   * Builds {@link ChatOptions}. Each setting is validated when set and may be set once; setting it
   * twice is rejected, naming the setting and its first value.
   */
  public static final class Builder {
    private Double temperature;
    private Double topP;
    private Integer topK;
    private Integer maxTokens;
    private List<String> stop;
    private Long seed;
    private Double repetitionPenalty;
    private ResponseFormat responseFormat;
    private ToolChoice toolChoice;
    private Integer logprobs;
    private boolean replacing;

    private Builder() {}

    /** Sets the sampling temperature, 0 to 2 (default: the backend's). */
    public Builder temperature(double value) {
      once("temperature", temperature);
      if (!(value >= 0 && value <= 2)) {
        throw new IllegalArgumentException("temperature must be between 0 and 2, was " + value);
      }
      temperature = value;
      return this;
    }

    /** Sets nucleus sampling, in (0, 1] (default: the backend's). */
    public Builder topP(double value) {
      once("topP", topP);
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException("topP must be in (0, 1], was " + value);
      }
      topP = value;
      return this;
    }

    /** Sets top-k sampling, at least 1 (default: no top-k cut). */
    public Builder topK(int value) {
      once("topK", topK);
      if (value < 1) {
        throw new IllegalArgumentException("topK must be at least 1, was " + value);
      }
      topK = value;
      return this;
    }

    /** Sets the most tokens to generate, at least 1 (default: the backend's). */
    public Builder maxTokens(int value) {
      once("maxTokens", maxTokens);
      if (value < 1) {
        throw new IllegalArgumentException("maxTokens must be at least 1, was " + value);
      }
      maxTokens = value;
      return this;
    }

    /** Sets the stop sequences: each not empty, at most 16 (default: none). */
    public Builder stop(List<String> values) {
      once("stop", stop);
      Objects.requireNonNull(values, "stop");
      if (values.size() > 16) {
        throw new IllegalArgumentException(
            "at most 16 stop sequences are allowed, got " + values.size());
      }
      List<String> copy = new ArrayList<>(values.size());
      for (int i = 0; i < values.size(); i++) {
        String value = Objects.requireNonNull(values.get(i), "stop[" + i + "]");
        if (value.isEmpty()) {
          throw new IllegalArgumentException("stop[" + i + "] must not be empty");
        }
        copy.add(value);
      }
      stop = copy;
      return this;
    }

    /** Sets the stop sequences; see {@link #stop(List)}. */
    public Builder stop(String... values) {
      return stop(List.of(values));
    }

    /** Sets the sampling seed (default: none). */
    public Builder seed(long value) {
      once("seed", seed);
      seed = value;
      return this;
    }

    /** Sets the repetition penalty, at least 1 (default: none). */
    public Builder repetitionPenalty(double value) {
      once("repetitionPenalty", repetitionPenalty);
      if (!(value >= 1 && value <= 10)) {
        throw new IllegalArgumentException(
            "repetitionPenalty must be between 1 and 10, was " + value);
      }
      repetitionPenalty = value;
      return this;
    }

    /** Sets the response format (default: free text). */
    public Builder responseFormat(ResponseFormat value) {
      once("responseFormat", responseFormat);
      responseFormat = Objects.requireNonNull(value, "responseFormat");
      return this;
    }

    /** Sets the tool choice (default: the model decides). */
    public Builder toolChoice(ToolChoice value) {
      once("toolChoice", toolChoice);
      toolChoice = Objects.requireNonNull(value, "toolChoice");
      return this;
    }

    /**
     * Asks for the log-probability of each generated token and of the {@code topLogprobs} most
     * likely alternatives at each position, 0 to 20, as the OpenAI API's {@code logprobs} and
     * {@code top_logprobs} do (default: none are computed).
     *
     * @param topLogprobs how many alternatives to report per position; 0 reports the chosen tokens
     *     only
     */
    public Builder logprobs(int topLogprobs) {
      once("logprobs", logprobs);
      if (topLogprobs < 0 || topLogprobs > TokenLogprob.MAX_TOP_LOGPROBS) {
        throw new IllegalArgumentException(
            "logprobs (the number of top alternatives) must be between 0 and "
                + TokenLogprob.MAX_TOP_LOGPROBS
                + ", was "
                + topLogprobs);
      }
      logprobs = topLogprobs;
      return this;
    }

    /** Returns the options; the builder is unchanged and can build again. */
    public ChatOptions build() {
      return new ChatOptions(this);
    }

    private void once(String name, Object current) {
      // A builder from toBuilder() exists to replace values; a fresh one accepts each setting once.
      if (current != null && !replacing) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }
  }
}
