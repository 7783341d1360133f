package dev.colloquy.core.resilience;

import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.observe.ChatListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.ToIntFunction;

/**
 * The resilience settings of one model, and the one place that wraps a model in its decorators,
 * always in this order (outermost first), the order Resilience4j documents:
 *
 * <pre>
 * Retry( CircuitBreaker( RateLimiter( TimeLimit( Bulkhead( model ) ) ) ) )
 * </pre>
 *
 * <ul>
 *   <li><b>Retry outside the breaker</b>: every attempt is counted by the breaker, and once it
 *       opens the next attempt fails at once with {@link
 *       CallRejectedException.Reason#CIRCUIT_OPEN}, which is not retried;
 *   <li><b>breaker outside the rate limiter</b>: a call refused by an open breaker uses no permit,
 *       and a limiter's refusal is not a model failure, so the breaker ignores it;
 *   <li><b>rate limiter outside the time limit</b>: waiting for a permit does not eat the model's
 *       time;
 *   <li><b>time limit outside the bulkhead</b>: a timed-out call is cancelled and frees its slot.
 * </ul>
 *
 * A fallback chain ({@link FallbackChatModel}) goes around several models decorated this way, each
 * with its own policy: {@code Fallback(Retry(CircuitBreaker(...primary)), Retry(...secondary))}.
 *
 * <p><b>One layer owns retries.</b> A backend that retries by itself (the remote client does, 2
 * retries by default) would multiply the attempts (3 × 3 = 9 requests for one call) and hide all
 * but one failure in three from the breaker. So {@link #decorate} wraps the backend's {@link
 * ChatModel#withoutOwnRetries()} form when it has one: the policy's retry, set by {@link
 * Builder#maxAttempts}, is then the only one, even at 1 attempt. Decorate the backend itself, not a
 * decorator around it, which would hide that form.
 *
 * <p>Defaults, chosen for LLM calls: 3 attempts with backoff from 1 s doubling to 30 s (jitter
 * ×0.75–1) or the server's {@code Retry-After} when it is at most 60 s; a breaker over the last 20
 * calls (judged after 10) that opens at 50 % failures for 30 s, then lets 3 trial calls through; a
 * time limit of 120 s per attempt (Resilience4j's 1 s default would cut nearly every reply); no
 * rate limit and no bulkhead unless set (waits for a rate-limit permit up to 10 s when set).
 *
 * <p>Immutable and thread-safe. Each {@link #decorate} call makes fresh breaker, limiter and
 * bulkhead state, so decorate a model once and share the result.
 */
public final class ResiliencePolicy {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final boolean breaker;
  private final int breakerWindow;
  private final float breakerFailureRatePercent;
  private final Duration breakerOpenFor;
  private final int breakerHalfOpenCalls;
  private final int requestsPerPeriod;
  private final Duration requestPeriod;
  private final int tokensPerPeriod;
  private final Duration tokenPeriod;
  private final Duration rateLimitWait;
  private final ToIntFunction<ChatRequest> tokenEstimator;
  private final int maxConcurrentCalls;
  private final Duration timeout;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Scheduler scheduler;
  private final DoubleSupplier random;
  private final ChatListener listener;

  private ResiliencePolicy(Builder b) {
    maxAttempts = or(b.maxAttempts, 3);
    initialBackoff = or(b.initialBackoff, Duration.ofSeconds(1));
    maxBackoff = or(b.maxBackoff, Duration.ofSeconds(30));
    maxRetryAfter = or(b.maxRetryAfter, Duration.ofSeconds(60));
    breaker = b.breaker == null || b.breaker;
    breakerWindow = or(b.breakerWindow, 20);
    breakerFailureRatePercent = or(b.breakerFailureRatePercent, 50f);
    breakerOpenFor = or(b.breakerOpenFor, Duration.ofSeconds(30));
    breakerHalfOpenCalls = or(b.breakerHalfOpenCalls, 3);
    requestsPerPeriod = or(b.requestsPerPeriod, 0);
    requestPeriod = or(b.requestPeriod, Duration.ofSeconds(1));
    tokensPerPeriod = or(b.tokensPerPeriod, 0);
    tokenPeriod = or(b.tokenPeriod, Duration.ofMinutes(1));
    rateLimitWait = or(b.rateLimitWait, Duration.ofSeconds(10));
    tokenEstimator = or(b.tokenEstimator, RateLimitingChatModel::estimateTokens);
    maxConcurrentCalls = or(b.maxConcurrentCalls, 0);
    timeout = b.noTimeout ? null : or(b.timeout, DEFAULT_TIMEOUT);
    clock = or(b.clock, Clock.systemUTC());
    sleeper = or(b.sleeper, Sleeper.system());
    scheduler = or(b.scheduler, Scheduler.system());
    random = or(b.random, () -> ThreadLocalRandom.current().nextDouble());
    listener = or(b.listener, ChatListener.NONE);
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** Returns the policy with every default. */
  public static ResiliencePolicy defaults() {
    return builder().build();
  }

  /** Returns a builder with every setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Wraps a model in this policy's decorators, in the order documented on this class, turning the
   * model's own retries off ({@link ChatModel#withoutOwnRetries()}) so that this policy's retry is
   * the only one.
   *
   * @param name the model's name in error messages, events and Resilience4j instance names; not
   *     blank
   * @param model the model to protect
   * @return the protected model; thread-safe
   */
  public ChatModel decorate(String name, ChatModel model) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    if (name.isBlank()) {
      throw new IllegalArgumentException("the decorated model's name must not be blank");
    }
    ChatModel m = model.withoutOwnRetries().orElse(model);
    if (maxConcurrentCalls > 0) {
      m = new BulkheadChatModel(name, m, this);
    }
    if (timeout != null) {
      m = new TimeLimitingChatModel(m, this);
    }
    if (requestsPerPeriod > 0 || tokensPerPeriod > 0) {
      m = new RateLimitingChatModel(name, m, this);
    }
    if (breaker) {
      m = new CircuitBreakingChatModel(name, m, this);
    }
    if (maxAttempts > 1) {
      m = new RetryingChatModel(name, m, this);
    }
    return m;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  Duration initialBackoff() {
    return initialBackoff;
  }

  Duration maxBackoff() {
    return maxBackoff;
  }

  Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  int breakerWindow() {
    return breakerWindow;
  }

  int breakerMinimumCalls() {
    return Math.max(1, breakerWindow / 2);
  }

  float breakerFailureRatePercent() {
    return breakerFailureRatePercent;
  }

  Duration breakerOpenFor() {
    return breakerOpenFor;
  }

  int breakerHalfOpenCalls() {
    return breakerHalfOpenCalls;
  }

  int requestsPerPeriod() {
    return requestsPerPeriod;
  }

  Duration requestPeriod() {
    return requestPeriod;
  }

  int tokensPerPeriod() {
    return tokensPerPeriod;
  }

  Duration tokenPeriod() {
    return tokenPeriod;
  }

  Duration rateLimitWait() {
    return rateLimitWait;
  }

  ToIntFunction<ChatRequest> tokenEstimator() {
    return tokenEstimator;
  }

  int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  Duration timeout() {
    return timeout;
  }

  Clock clock() {
    return clock;
  }

  Sleeper sleeper() {
    return sleeper;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  DoubleSupplier random() {
    return random;
  }

  ChatListener listener() {
    return listener;
  }

  @Override
  public String toString() {
    return "ResiliencePolicy{attempts="
        + maxAttempts
        + ", breaker="
        + (breaker
            ? breakerFailureRatePercent + "% of " + breakerWindow + " opens for " + breakerOpenFor
            : "off")
        + ", requests="
        + (requestsPerPeriod > 0 ? requestsPerPeriod + "/" + requestPeriod : "unlimited")
        + ", tokens="
        + (tokensPerPeriod > 0 ? tokensPerPeriod + "/" + tokenPeriod : "unlimited")
        + ", concurrent="
        + (maxConcurrentCalls > 0 ? maxConcurrentCalls : "unlimited")
        + ", timeout="
        + (timeout != null ? timeout : "none")
        + "}";
  }

  /**
   * Builds a {@link ResiliencePolicy}. Each setting is validated when set and may be set once; a
   * repeat is rejected naming the first value. Unset settings keep the defaults documented on
   * {@link ResiliencePolicy}. {@link #build()} leaves the builder unchanged.
   */
  public static final class Builder {
    private Integer maxAttempts;
    private Duration initialBackoff;
    private Duration maxBackoff;
    private Duration maxRetryAfter;
    private Boolean breaker;
    private Integer breakerWindow;
    private Float breakerFailureRatePercent;
    private Duration breakerOpenFor;
    private Integer breakerHalfOpenCalls;
    private Integer requestsPerPeriod;
    private Duration requestPeriod;
    private Integer tokensPerPeriod;
    private Duration tokenPeriod;
    private Duration rateLimitWait;
    private ToIntFunction<ChatRequest> tokenEstimator;
    private Integer maxConcurrentCalls;
    private Duration timeout;
    private boolean noTimeout;
    private Clock clock;
    private Sleeper sleeper;
    private Scheduler scheduler;
    private DoubleSupplier random;
    private ChatListener listener;

    private Builder() {}

    /** Sets the attempts per call, first included: 1 turns retries off (default 3). */
    public Builder maxAttempts(int value) {
      once("maxAttempts", maxAttempts);
      maxAttempts = atLeast("maxAttempts", value, 1);
      return this;
    }

    /**
     * Sets the backoff: from {@code initial}, doubling, up to {@code max} (default 1 s to 30 s).
     */
    public Builder backoff(Duration initial, Duration max) {
      once("backoff", initialBackoff);
      positive("backoff initial", initial);
      positive("backoff max", max);
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff max " + max + " is below initial " + initial);
      }
      initialBackoff = initial;
      maxBackoff = max;
      return this;
    }

    /**
     * Sets the longest server-requested wait honoured; a longer one fails the call at once (default
     * 60 s).
     */
    public Builder maxRetryAfter(Duration value) {
      once("maxRetryAfter", maxRetryAfter);
      maxRetryAfter = notNegative("maxRetryAfter", value);
      return this;
    }

    /**
     * Sets the circuit breaker: it opens when at least {@code failureRatePercent} of the last
     * {@code window} calls failed (judged once half the window is filled), stays open for {@code
     * openFor}, then lets {@code halfOpenCalls} trial calls decide (default 20, 50 %, 30 s, 3).
     */
    public Builder circuitBreaker(
        int window, float failureRatePercent, Duration openFor, int halfOpenCalls) {
      once("circuitBreaker", breaker);
      atLeast("circuitBreaker window", window, 1);
      if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
        throw new IllegalArgumentException(
            "circuitBreaker failureRatePercent must be in (0, 100], was " + failureRatePercent);
      }
      positive("circuitBreaker openFor", openFor);
      atLeast("circuitBreaker halfOpenCalls", halfOpenCalls, 1);
      breaker = true;
      breakerWindow = window;
      breakerFailureRatePercent = failureRatePercent;
      breakerOpenFor = openFor;
      breakerHalfOpenCalls = halfOpenCalls;
      return this;
    }

    /** Turns the circuit breaker off (default: on). */
    public Builder noCircuitBreaker() {
      once("circuitBreaker", breaker);
      breaker = false;
      return this;
    }

    /** Limits requests to {@code limit} per {@code period} (default: unlimited). */
    public Builder requestsPerPeriod(int limit, Duration period) {
      once("requestsPerPeriod", requestsPerPeriod);
      requestsPerPeriod = atLeast("requestsPerPeriod", limit, 1);
      requestPeriod = positive("requestsPerPeriod period", period);
      return this;
    }

    /**
     * Limits tokens (prompt plus reply) to {@code limit} per {@code period} (default: unlimited).
     */
    public Builder tokensPerPeriod(int limit, Duration period) {
      once("tokensPerPeriod", tokensPerPeriod);
      tokensPerPeriod = atLeast("tokensPerPeriod", limit, 1);
      tokenPeriod = positive("tokensPerPeriod period", period);
      return this;
    }

    /**
     * Sets how long a call may wait for a rate-limit permit before it is refused; zero refuses at
     * once (default 10 s).
     */
    public Builder rateLimitWait(Duration value) {
      once("rateLimitWait", rateLimitWait);
      rateLimitWait = notNegative("rateLimitWait", value);
      return this;
    }

    /**
     * Sets how a request's tokens are estimated before it is sent (default: characters / 4 +
     * maxTokens).
     */
    public Builder tokenEstimator(ToIntFunction<ChatRequest> value) {
      once("tokenEstimator", tokenEstimator);
      tokenEstimator = Objects.requireNonNull(value, "tokenEstimator");
      return this;
    }

    /** Caps the calls running at once; one more is refused at once (default: unlimited). */
    public Builder maxConcurrentCalls(int value) {
      once("maxConcurrentCalls", maxConcurrentCalls);
      maxConcurrentCalls = atLeast("maxConcurrentCalls", value, 1);
      return this;
    }

    /** Sets the time limit of one attempt, whole stream included (default 120 s). */
    public Builder timeout(Duration value) {
      once("timeout", noTimeout ? "none" : timeout);
      timeout = positive("timeout", value);
      return this;
    }

    /** Turns the time limit off (default: 120 s). */
    public Builder noTimeout() {
      once("timeout", noTimeout ? "none" : timeout);
      noTimeout = true;
      return this;
    }

    /** Sets the clock of the circuit breaker's open state (default: the system clock). */
    public Builder clock(Clock value) {
      once("clock", clock);
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets what waits between retries and for rate-limit permits (default: {@link
     * Sleeper#system()}).
     */
    public Builder sleeper(Sleeper value) {
      once("sleeper", sleeper);
      sleeper = Objects.requireNonNull(value, "sleeper");
      return this;
    }

    /** Sets what fires the time limit (default: {@link Scheduler#system()}). */
    public Builder scheduler(Scheduler value) {
      once("scheduler", scheduler);
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /**
     * Sets the source of backoff jitter, uniform in [0, 1) (default: {@link ThreadLocalRandom}).
     */
    public Builder random(DoubleSupplier value) {
      once("random", random);
      random = Objects.requireNonNull(value, "random");
      return this;
    }

    /** Sets the listener told of each retry (default: none). */
    public Builder listener(ChatListener value) {
      once("listener", listener);
      listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /** Returns the policy; the builder is unchanged. */
    public ResiliencePolicy build() {
      return new ResiliencePolicy(this);
    }

    private static void once(String name, Object current) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }

    private static int atLeast(String name, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
      }
      return value;
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }

    private static Duration notNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + value);
      }
      return value;
    }
  }
}
