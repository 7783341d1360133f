package dev.colloquy.model.remote;

import java.util.Objects;

/**
 * What a server said about a failure, already redacted of the model's configured secrets: its error
 * text and, when it sent them, the OpenAI error fields {@code type}, {@code code} and {@code
 * param}, and the {@code x-request-id} response header that its support asks for.
 *
 * @param text the server's error text, possibly empty
 * @param type the error's {@code type}, such as {@code invalid_request_error}; empty when absent
 * @param code the error's {@code code}, such as {@code context_length_exceeded}; empty when absent
 * @param param the request parameter the error is about, such as {@code messages}; empty when
 *     absent
 * @param requestId the {@code x-request-id} header of the response; empty when absent
 */
public record RemoteErrorDetails(
    String text, String type, String code, String param, String requestId) {

  private static final RemoteErrorDetails NONE = new RemoteErrorDetails("", "", "", "", "");

  /** Checks that no field is null. */
  public RemoteErrorDetails {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(requestId, "requestId");
  }

  /** Returns details holding only an error text. */
  public static RemoteErrorDetails of(String text) {
    return text.isEmpty() ? NONE : new RemoteErrorDetails(text, "", "", "", "");
  }

  /** Returns details with nothing in them, for a failure without a response. */
  public static RemoteErrorDetails none() {
    return NONE;
  }
}
