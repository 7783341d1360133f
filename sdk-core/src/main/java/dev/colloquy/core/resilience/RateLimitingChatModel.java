package dev.colloquy.core.resilience;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Limits requests and/or tokens per period with Resilience4j {@link RateLimiter}s. A permit is
 * reserved ({@code reservePermission}, which says how long to wait, or that the wait would pass the
 * limit); the wait is done by the injected {@link Sleeper}, so it can be cancelled and faked.
 *
 * <p>Tokens are reserved from an estimate before the call (prompt characters / 4 plus the request's
 * {@code maxTokens}); when the response's usage is higher, the difference is charged as debt that
 * later calls wait for.
 */
final class RateLimitingChatModel implements ChatModel {

  private final ChatModel delegate;
  private final RateLimiter requests;
  private final RateLimiter tokens;
  private final int tokenLimit;
  private final ToIntFunction<ChatRequest> estimator;
  private final Sleeper sleeper;

  RateLimitingChatModel(String name, ChatModel delegate, ResiliencePolicy policy) {
    this.delegate = delegate;
    this.sleeper = policy.sleeper();
    this.estimator = policy.tokenEstimator();
    Duration maxWait = policy.rateLimitWait();
    this.requests =
        policy.requestsPerPeriod() == 0
            ? null
            : RateLimiter.of(
                name + "-requests",
                RateLimiterConfig.custom()
                    .limitForPeriod(policy.requestsPerPeriod())
                    .limitRefreshPeriod(policy.requestPeriod())
                    .timeoutDuration(maxWait)
                    .build());
    this.tokenLimit = policy.tokensPerPeriod();
    this.tokens =
        tokenLimit == 0
            ? null
            : RateLimiter.of(
                name + "-tokens",
                RateLimiterConfig.custom()
                    .limitForPeriod(tokenLimit)
                    .limitRefreshPeriod(policy.tokenPeriod())
                    .timeoutDuration(maxWait)
                    .build());
  }

  @Override
  public ModelCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public Optional<SecretRedactor> secretRedactor() {
    return delegate.secretRedactor();
  }

  @Override
  public Optional<TokenCounter> tokenCounter() {
    return delegate.tokenCounter();
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener stream, Cancellation cancellation) {
    if (requests != null) {
      acquire(requests, 1, CallRejectedException.Reason.REQUEST_RATE, cancellation);
    }
    int estimate = 0;
    if (tokens != null) {
      estimate = Math.max(1, Math.min(estimator.applyAsInt(request), tokenLimit));
      acquire(tokens, estimate, CallRejectedException.Reason.TOKEN_RATE, cancellation);
    }
    ChatResponse response = delegate.generate(request, stream, cancellation);
    if (tokens != null) {
      long extra = response.usage().totalTokens() - estimate;
      if (extra > 0) {
        // Debt: later callers wait for it; this caller already has its answer.
        tokens.reservePermission((int) Math.min(extra, tokenLimit));
      }
    }
    return response;
  }

  private void acquire(
      RateLimiter limiter,
      int permits,
      CallRejectedException.Reason reason,
      Cancellation cancellation) {
    long waitNanos = limiter.reservePermission(permits);
    if (waitNanos < 0) {
      RateLimiterConfig config = limiter.getRateLimiterConfig();
      throw new CallRejectedException(
          reason,
          "rate limiter '"
              + limiter.getName()
              + "' has no room for "
              + permits
              + " permit(s) within the allowed wait of "
              + config.getTimeoutDuration()
              + " (limit "
              + config.getLimitForPeriod()
              + " per "
              + config.getLimitRefreshPeriod()
              + "); no request was sent. Try again later, or raise the limit or the wait",
          config.getLimitRefreshPeriod());
    }
    if (waitNanos > 0) {
      sleeper.sleep(Duration.ofNanos(waitNanos), cancellation);
    }
  }

  /** The default estimate: every character of the prompt and tool schemas / 4, plus maxTokens. */
  static int estimateTokens(ChatRequest request) {
    long chars = 0;
    for (var message : request.messages()) {
      chars += message.text().length();
    }
    for (var tool : request.tools()) {
      chars +=
          tool.name().length()
              + tool.description().length()
              + tool.parameters().toString().length();
    }
    long estimate = chars / 4 + request.options().maxTokens().orElse(0);
    return (int) Math.min(estimate, Integer.MAX_VALUE);
  }

  @Override
  public String toString() {
    return "RateLimiter(" + delegate + ")";
  }
}
