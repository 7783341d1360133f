package dev.colloquy.spring;

import java.time.Duration;

/**
 * {@code colloquy.resilience.*}: retry, circuit breaker, rate limit, bulkhead and time limit around
 * the agents' model (core's {@code ResiliencePolicy}). Off by default, when the remote client's own
 * retries ({@code colloquy.remote.max-retries}) apply; turn this on for a breaker, limits, or a
 * local model. When on, the policy owns retries: the remote client's are turned off, so {@code
 * max-attempts} is the number of requests one call may send.
 */
public class ResilienceProperties {
  /** Whether the agents' model is wrapped in the resilience decorators. */
  private boolean enabled;

  /** The attempts per call, the first included; 1 turns retries off. */
  private int maxAttempts = 3;

  /** The first wait between attempts; it doubles up to max-backoff. */
  private Duration initialBackoff = Duration.ofSeconds(1);

  /** The longest wait between attempts. */
  private Duration maxBackoff = Duration.ofSeconds(30);

  /** The time limit of one attempt, whole stream included. */
  private Duration timeout = Duration.ofSeconds(120);

  /** Whether the circuit breaker is on (20-call window, opens at 50 % failures for 30 s). */
  private boolean circuitBreaker = true;

  /** The most requests per minute; unset, unlimited. */
  private Integer requestsPerMinute;

  /** The most calls running at once; unset, unlimited. */
  private Integer maxConcurrentCalls;

  /** Returns whether resilience is on. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Turns resilience on or off. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Returns the attempts per call. */
  public int getMaxAttempts() {
    return maxAttempts;
  }

  /** Sets the attempts per call; at least 1. */
  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts =
        ColloquyProperties.between(
            "colloquy.resilience.max-attempts", maxAttempts, 1, Integer.MAX_VALUE);
  }

  /** Returns the first backoff. */
  public Duration getInitialBackoff() {
    return initialBackoff;
  }

  /** Sets the first backoff; positive. */
  public void setInitialBackoff(Duration initialBackoff) {
    this.initialBackoff =
        ColloquyProperties.positive("colloquy.resilience.initial-backoff", initialBackoff);
  }

  /** Returns the longest backoff. */
  public Duration getMaxBackoff() {
    return maxBackoff;
  }

  /** Sets the longest backoff; positive, and checked against the first when the policy is built. */
  public void setMaxBackoff(Duration maxBackoff) {
    this.maxBackoff = ColloquyProperties.positive("colloquy.resilience.max-backoff", maxBackoff);
  }

  /** Returns the time limit of one attempt. */
  public Duration getTimeout() {
    return timeout;
  }

  /** Sets the time limit of one attempt; positive. */
  public void setTimeout(Duration timeout) {
    this.timeout = ColloquyProperties.positive("colloquy.resilience.timeout", timeout);
  }

  /** Returns whether the breaker is on. */
  public boolean isCircuitBreaker() {
    return circuitBreaker;
  }

  /** Turns the breaker on or off. */
  public void setCircuitBreaker(boolean circuitBreaker) {
    this.circuitBreaker = circuitBreaker;
  }

  /** Returns the requests per minute, or null for unlimited. */
  public Integer getRequestsPerMinute() {
    return requestsPerMinute;
  }

  /** Sets the requests per minute; at least 1. */
  public void setRequestsPerMinute(Integer requestsPerMinute) {
    this.requestsPerMinute =
        ColloquyProperties.between(
            "colloquy.resilience.requests-per-minute", requestsPerMinute, 1, Integer.MAX_VALUE);
  }

  /** Returns the most concurrent calls, or null for unlimited. */
  public Integer getMaxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /** Sets the most concurrent calls; at least 1. */
  public void setMaxConcurrentCalls(Integer maxConcurrentCalls) {
    this.maxConcurrentCalls =
        ColloquyProperties.between(
            "colloquy.resilience.max-concurrent-calls", maxConcurrentCalls, 1, Integer.MAX_VALUE);
  }
}
