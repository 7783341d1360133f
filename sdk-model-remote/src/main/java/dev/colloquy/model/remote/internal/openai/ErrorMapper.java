package dev.colloquy.model.remote.internal.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.ColloquyException;
import dev.colloquy.model.remote.RemoteRejectedException;
import dev.colloquy.model.remote.RemoteUnavailableException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Maps a failed HTTP response to a typed exception carrying the status and the server's own error
 * text: 408, 409, 429 and 5xx are retryable, every other status is not. Everything the server sent
 * goes through {@link ServerText}, so no configured secret it echoes back survives. Thread-safe.
 */
public final class ErrorMapper {

  /** The longest error text kept, in characters. */
  static final int MAX_ERROR_TEXT = 2_000;

  private final ObjectMapper mapper;
  private final Clock clock;
  private final ServerText server;

  /**
   * @param mapper parses error bodies
   * @param clock the clock {@code Retry-After} dates are measured against
   * @param server redacts what the server sent
   */
  public ErrorMapper(ObjectMapper mapper, Clock clock, ServerText server) {
    this.mapper = mapper;
    this.clock = clock;
    this.server = server;
  }

  /** Returns whether an HTTP status is worth retrying. */
  public static boolean isRetryable(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  /**
   * Returns the exception for a response that was not a success.
   *
   * @param status the HTTP status
   * @param headers the response headers (for {@code retry-after-ms} and {@code Retry-After})
   * @param body the start of the body
   * @param where the method and URL, for the message
   */
  public ColloquyException map(int status, HttpHeaders headers, byte[] body, String where) {
    String raw = new String(body, StandardCharsets.UTF_8);
    String errorText = server.excerpt(errorText(tryParse(raw), raw), MAX_ERROR_TEXT);
    String shown = errorText.isEmpty() ? "(no error text)" : errorText;
    if (isRetryable(status)) {
      Duration retryAfter = RetryAfter.parse(headers, clock).orElse(null);
      String wait = retryAfter == null ? "" : " (the server asked to wait " + retryAfter + ")";
      return new RemoteUnavailableException(where + " answered " + status + wait + ": " + shown
          + ". " + hint(status), status, errorText, null, retryAfter);
    }
    return new RemoteRejectedException(where + " answered " + status + ": " + shown + ". " + hint(status),
        status, errorText);
  }

  private JsonNode tryParse(String raw) {
    try {
      return raw.isBlank() ? null : mapper.readTree(raw);
    } catch (IOException e) {
      return null; // not JSON: the raw text is shown instead
    }
  }

  /**
   * Returns the server's error text from an error body: {@code error.message}, {@code error} as a
   * string, a top-level {@code message} or {@code detail}; else the raw text. Neither redacted nor
   * shortened: pass it through {@link ServerText#excerpt}.
   *
   * @param node the parsed body, or {@code null} when it is not JSON
   * @param raw the body as text
   */
  static String errorText(JsonNode node, String raw) {
    String text = null;
    if (node != null) {
      JsonNode error = node.get("error");
      if (error != null && error.isObject() && error.path("message").isTextual()) {
        text = error.path("message").asText();
      } else if (error != null && error.isTextual()) {
        text = error.asText();
      } else if (node.path("message").isTextual()) {
        text = node.path("message").asText();
      } else if (node.path("detail").isTextual()) {
        text = node.path("detail").asText();
      }
    }
    return text == null ? raw.strip() : text;
  }

  private static String hint(int status) {
    return switch (status) {
      case 400 -> "The server rejected the request; check the options this model supports.";
      case 401 -> "Check the API key (the builder's apiKey or the OPENAI_API_KEY variable).";
      case 403 -> "The key is valid but may not use this model or resource; check its permissions.";
      case 404 -> "Check baseUrl (it usually ends in /v1) and the model name.";
      case 408 -> "The server timed out waiting for the request; it is retried.";
      case 409 -> "The server reported a conflict; it is retried.";
      case 422 -> "The server could not process the request; check the messages and options.";
      case 429 -> "Rate limited; the call is retried within maxRetries and maxRetryWait.";
      default -> status >= 500 ? "The server failed; the call is retried within maxRetries."
          : "The request is not retried.";
    };
  }
}
