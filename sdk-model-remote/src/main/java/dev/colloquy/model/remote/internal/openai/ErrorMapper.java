package dev.colloquy.model.remote.internal.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.ColloquyException;
import dev.colloquy.model.remote.RemoteContextLengthException;
import dev.colloquy.model.remote.RemoteErrorDetails;
import dev.colloquy.model.remote.RemoteQuotaExceededException;
import dev.colloquy.model.remote.RemoteRateLimitException;
import dev.colloquy.model.remote.RemoteRejectedException;
import dev.colloquy.model.remote.RemoteUnavailableException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

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
    RemoteErrorDetails details = details(server, tryParse(raw), raw, requestId(headers));
    String shown =
        (details.text().isEmpty() ? "(no error text)" : details.text()) + summary(details);
    if (isRetryable(status)) {
      if (status == 429 && isQuota(details)) {
        return new RemoteQuotaExceededException(
            where + " answered 429: " + shown + ". " + QUOTA_HINT, status, details);
      }
      Duration retryAfter = RetryAfter.parse(headers, clock).orElse(null);
      String wait = retryAfter == null ? "" : " (the server asked to wait " + retryAfter + ")";
      String message = where + " answered " + status + wait + ": " + shown + ". " + hint(status);
      return status == 429
          ? new RemoteRateLimitException(message, status, details, retryAfter)
          : new RemoteUnavailableException(message, status, details, null, retryAfter);
    }
    if (isContextLength(details)) {
      return new RemoteContextLengthException(
          where + " answered " + status + ": " + shown + ". " + CONTEXT_HINT, status, details);
    }
    return new RemoteRejectedException(
        where + " answered " + status + ": " + shown + ". " + hint(status), status, details);
  }

  /**
   * Returns what an error body says, redacted: the error text (see {@link #errorText}) and the
   * {@code type}, {@code code} and {@code param} of {@code error} (or of the body itself, as vLLM
   * sends them).
   *
   * @param server redacts what the server sent
   * @param node the parsed body, or {@code null} when it is not JSON
   * @param raw the body as text
   * @param requestId the response's request id, possibly empty
   */
  static RemoteErrorDetails details(
      ServerText server, JsonNode node, String raw, String requestId) {
    JsonNode fields =
        node == null ? null : node.path("error").isObject() ? node.path("error") : node;
    return new RemoteErrorDetails(
        server.excerpt(errorText(node, raw), MAX_ERROR_TEXT),
        field(server, fields, "type"),
        field(server, fields, "code"),
        field(server, fields, "param"),
        server.excerpt(requestId, 200));
  }

  /**
   * Returns the request id a response carries ({@code x-request-id}, else {@code request-id}), not
   * yet redacted.
   */
  public static String requestId(HttpHeaders headers) {
    return headers
        .firstValue("x-request-id")
        .or(() -> headers.firstValue("request-id"))
        .orElse("")
        .strip();
  }

  /**
   * Returns {@code " [type X, code Y, param Z, request id R]"} for the fields present, or nothing.
   */
  static String summary(RemoteErrorDetails details) {
    StringBuilder s = new StringBuilder();
    for (String[] field :
        new String[][] {
          {"type", details.type()},
          {"code", details.code()},
          {"param", details.param()},
          {"request id", details.requestId()}
        }) {
      if (!field[1].isEmpty()) {
        s.append(s.length() == 0 ? " [" : ", ").append(field[0]).append(' ').append(field[1]);
      }
    }
    return s.length() == 0 ? "" : s.append(']').toString();
  }

  private static String field(ServerText server, JsonNode fields, String name) {
    JsonNode value = fields == null ? null : fields.get(name);
    if (value == null || !(value.isTextual() || value.isNumber() || value.isBoolean())) {
      return "";
    }
    return server.excerpt(value.asText().strip(), 200);
  }

  private static boolean isQuota(RemoteErrorDetails details) {
    return details.code().equals("insufficient_quota")
        || details.type().equals("insufficient_quota");
  }

  private static boolean isContextLength(RemoteErrorDetails details) {
    return details.code().equals("context_length_exceeded")
        || details.type().equals("exceed_context_size_error")
        || CONTEXT_WORDS.matcher(details.text()).find();
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

  private static final String QUOTA_HINT =
      "The account's quota or credit is used up (insufficient_quota); "
          + "retrying will not help: check the plan and billing details.";
  private static final String CONTEXT_HINT =
      "The prompt and the requested reply do not fit the model's context "
          + "window; shorten the conversation (trim memory) or lower maxTokens, then ask again.";

  /** How servers other than OpenAI word a context-length error (vLLM, llama.cpp, TGI). */
  private static final Pattern CONTEXT_WORDS =
      Pattern.compile(
          "(?i)maximum context length|context length exceeded|exceeds the available context size"
              + "|exceed_context_size|input validation error: `inputs` tokens \\+ `max_new_tokens`");

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
      default ->
          status >= 500
              ? "The server failed; the call is retried within maxRetries."
              : "The request is not retried.";
    };
  }
}
