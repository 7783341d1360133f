package dev.colloquy.model.remote.internal.http;

import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.resilience.Sleeper;
import dev.colloquy.model.remote.MaxTokensField;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/**
 * Everything a {@link ChatCompletionsClient} needs, already validated by the public builder.
 *
 * @param endpoint the full chat-completions URL, query included
 * @param model the model name sent with each request
 * @param maxTokensField the body field that carries the output-token limit
 * @param headers the headers sent with each request, authentication included
 * @param secrets the configured secrets (API key, credential header values), for redaction
 * @param connectTimeout the TCP and TLS connect timeout
 * @param requestTimeout the whole-attempt timeout, body included
 * @param streamIdleTimeout the longest silence tolerated while a stream is open
 * @param maxRetries retries after the first attempt
 * @param maxRetryWait the longest server-requested wait honoured
 * @param sleeper the test sleeper, or empty for a real, cancellable wait
 * @param maxLineBytes the longest event-stream line accepted
 * @param maxStopSequences the most stop sequences the server accepts
 * @param clock the clock for {@code Retry-After} dates
 * @param random the jitter source
 */
public record ClientSettings(
    URI endpoint,
    String model,
    MaxTokensField maxTokensField,
    Map<String, String> headers,
    SecretRedactor secrets,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration streamIdleTimeout,
    int maxRetries,
    Duration maxRetryWait,
    Optional<Sleeper> sleeper,
    int maxLineBytes,
    int maxStopSequences,
    Clock clock,
    DoubleSupplier random) {

  /** Copies the headers. */
  public ClientSettings {
    headers = Map.copyOf(headers);
  }

  /**
   * Describes the settings with the value of every header that holds a configured secret (the
   * {@code Authorization} or {@code api-key} header, a gateway token) replaced by {@code ***}; the
   * generated {@code toString} would print the key.
   */
  @Override
  public String toString() {
    Map<String, String> shownHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, value) -> shownHeaders.put(name, secrets.isIn(value) ? "***" : value));
    return "ClientSettings[endpoint="
        + where()
        + ", model="
        + model
        + ", maxTokensField="
        + maxTokensField
        + ", headers="
        + shownHeaders
        + ", secrets="
        + secrets
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", streamIdleTimeout="
        + streamIdleTimeout
        + ", maxRetries="
        + maxRetries
        + ", maxRetryWait="
        + maxRetryWait
        + ", maxLineBytes="
        + maxLineBytes
        + ", maxStopSequences="
        + maxStopSequences
        + "]";
  }

  /** Returns these settings with another number of retries. */
  public ClientSettings withMaxRetries(int value) {
    return new ClientSettings(
        endpoint,
        model,
        maxTokensField,
        headers,
        secrets,
        connectTimeout,
        requestTimeout,
        streamIdleTimeout,
        value,
        maxRetryWait,
        sleeper,
        maxLineBytes,
        maxStopSequences,
        clock,
        random);
  }

  /** Returns "POST" and the endpoint without its query, for messages. */
  public String where() {
    String url = endpoint.toString();
    int query = url.indexOf('?');
    return "POST " + (query < 0 ? url : url.substring(0, query));
  }
}
