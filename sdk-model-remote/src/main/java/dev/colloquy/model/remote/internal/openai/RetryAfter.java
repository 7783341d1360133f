package dev.colloquy.model.remote.internal.openai;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the wait a server asks for: {@code retry-after-ms} (OpenAI's, in milliseconds) first, then
 * {@code Retry-After} in seconds or as an HTTP date. Only a sane value counts: a positive finite
 * number or a date in the future. Zero, negative, garbage and past dates give nothing, so the
 * caller falls back to its own backoff. A value over the caller's cap is still returned: it is the
 * caller's job to refuse it and report the wait.
 */
public final class RetryAfter {

  private RetryAfter() {}

  /**
   * Returns the requested wait, if any header holds a sane one.
   *
   * @param headers the response headers
   * @param clock the clock an HTTP date is measured against
   */
  public static Optional<Duration> parse(HttpHeaders headers, Clock clock) {
    Optional<Duration> millis =
        headers.firstValue("retry-after-ms").flatMap(RetryAfter::parseMillis);
    if (millis.isPresent()) {
      return millis;
    }
    return headers.firstValue("retry-after").flatMap(value -> parseRetryAfter(value, clock));
  }

  static Optional<Duration> parseMillis(String value) {
    try {
      double ms = Double.parseDouble(value.strip());
      if (ms > 0 && ms < 1e12) {
        return Optional.of(Duration.ofNanos((long) (ms * 1_000_000)));
      }
    } catch (NumberFormatException e) {
      // garbage: ignored, the backoff applies
    }
    return Optional.empty();
  }

  static Optional<Duration> parseRetryAfter(String value, Clock clock) {
    String v = value.strip();
    try {
      double seconds = Double.parseDouble(v);
      if (seconds > 0 && seconds < 1e9) {
        return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
      }
      return Optional.empty();
    } catch (NumberFormatException e) {
      // not a number: maybe an HTTP date
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), at.toInstant());
      return wait.isNegative() || wait.isZero() ? Optional.empty() : Optional.of(wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
