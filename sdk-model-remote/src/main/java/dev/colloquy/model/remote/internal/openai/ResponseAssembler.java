package dev.colloquy.model.remote.internal.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.TruncatedResponseException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.model.remote.RemoteProtocolException;
import dev.colloquy.model.remote.RemoteStreamErrorException;
import dev.colloquy.model.remote.internal.sse.SseEvent;
import java.io.IOException;

/**
 * Turns the chunks of one chat-completions response into a {@link ChatResponse}: the single code
 * path for streamed replies (many {@code delta} chunks) and blocking ones (one body whose
 * {@code message} is treated as a single, complete delta).
 *
 * <p>Text deltas go to the listener as they arrive, holding back a trailing high surrogate so a
 * character is never split; tool calls are assembled by {@link ToolCallAssembler} and handed to
 * the listener when the response is complete. Not thread-safe: one per attempt.
 */
public final class ResponseAssembler {

  private final ObjectMapper mapper;
  private final StreamListener listener;
  private final String requestedModel;
  private final String where;
  private final StringBuilder text = new StringBuilder();
  private final ToolCallAssembler toolCalls = new ToolCallAssembler();
  private char heldHighSurrogate;
  private FinishReason finishReason;
  private String modelId;
  private TokenUsage usage = TokenUsage.ZERO;
  private boolean done;
  private boolean started;

  /**
   * @param mapper parses chunks
   * @param listener receives deltas
   * @param requestedModel the model name sent, used when the server names none
   * @param where the endpoint, for error messages
   */
  public ResponseAssembler(ObjectMapper mapper, StreamListener listener, String requestedModel, String where) {
    this.mapper = mapper;
    this.listener = listener;
    this.requestedModel = requestedModel;
    this.where = where;
  }

  /** Takes one server-sent event of a streamed response. */
  public void onEvent(SseEvent event) {
    if (done) {
      return; // anything after [DONE] is not part of this response
    }
    String data = event.data();
    if (data.length() <= 8 && data.strip().equals("[DONE]")) {
      done = true;
      return;
    }
    JsonNode chunk = parse(data, false);
    if (event.type().equals("error") || isError(chunk)) {
      String errorText = ErrorMapper.errorText(chunk, data);
      throw new RemoteStreamErrorException("the server reported an error inside its event stream from "
          + where + ": " + errorText, errorText, text.toString());
    }
    accept(chunk, "delta", true);
  }

  /** Takes the whole body of a response that was not streamed. */
  public void onBody(byte[] body) {
    String data = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    JsonNode completion = parse(data, true);
    if (isError(completion)) {
      String errorText = ErrorMapper.errorText(completion, data);
      throw new RemoteStreamErrorException("the server answered " + where
          + " with status 200 but an error body: " + errorText, errorText, "");
    }
    if (completion.path("choices").isEmpty()) {
      throw new RemoteProtocolException("the server at " + where + " answered 200 with a body that has no "
          + "choices: '" + (data.length() > 200 ? data.substring(0, 200) + "…" : data)
          + "'. Check that baseUrl points to an OpenAI-compatible /v1 endpoint.", null);
    }
    accept(completion, "message", false);
    done = true;
  }

  /** Returns whether any text or tool call has been received; such a call is never retried. */
  public boolean started() {
    return started;
  }

  /** Returns whether the stream said it is complete: a {@code [DONE]} marker or a finish reason. */
  public boolean hasEnded() {
    return done || finishReason != null;
  }

  /** Returns the text received so far. */
  public String partialText() {
    return heldHighSurrogate == 0 ? text.toString() : text.toString() + heldHighSurrogate;
  }

  /**
   * Completes the response once the body has ended.
   *
   * @throws TruncatedResponseException when it ended without {@code [DONE]} and without a finish
   *     reason
   */
  public ChatResponse finish() {
    if (heldHighSurrogate != 0) {
      deliver(String.valueOf(heldHighSurrogate));
      heldHighSurrogate = 0;
    }
    if (!done && finishReason == null) {
      throw new TruncatedResponseException("the response from " + where + " ended before its [DONE] "
          + "marker and without a finish reason, after " + text.length() + " characters of text; "
          + "the connection was probably cut. The text received so far is in partialText(); "
          + "retrying the call may succeed.", text.toString());
    }
    var calls = toolCalls.complete(where);
    for (var call : calls) {
      listener.onToolCall(call);
    }
    FinishReason reason = finishReason == null ? FinishReason.STOP : finishReason;
    if (!calls.isEmpty() && reason == FinishReason.STOP) {
      // Some servers (Ollama, older vLLM) say "stop" for a reply that asks for tools.
      reason = FinishReason.TOOL_CALLS;
    }
    String model = modelId == null ? requestedModel : modelId;
    return new ChatResponse(new AssistantMessage(text.toString(), calls), reason, usage, model);
  }

  private JsonNode parse(String data, boolean wholeBody) {
    try {
      return mapper.readTree(data);
    } catch (JsonEOFException e) {
      if (wholeBody) {
        throw new TruncatedResponseException("the response body from " + where
            + " ended in the middle of its JSON; the connection was probably cut. Retrying may succeed.", "");
      }
      throw malformed(data, e);
    } catch (JacksonException e) {
      throw malformed(data, e);
    } catch (IOException e) {
      throw malformed(data, e);
    }
  }

  private RemoteProtocolException malformed(String data, Exception cause) {
    String start = data.length() > 200 ? data.substring(0, 200) + "…" : data;
    return new RemoteProtocolException("the server at " + where + " sent a chunk that is not valid JSON ("
        + cause.getMessage().lines().findFirst().orElse("") + "): '" + start
        + "'. Check that baseUrl points to an OpenAI-compatible /v1 endpoint.", cause);
  }

  private static boolean isError(JsonNode node) {
    return node.hasNonNull("error") || node.path("object").asText("").equals("error");
  }

  private void accept(JsonNode chunk, String messageField, boolean streaming) {
    if (!chunk.isObject()) {
      throw malformed(chunk.toString(), new IOException("expected a JSON object"));
    }
    String model = chunk.path("model").asText("");
    if (!model.isBlank()) {
      modelId = model;
    }
    JsonNode usageNode = chunk.get("usage");
    if (usageNode != null && usageNode.isObject()) {
      usage = new TokenUsage(Math.max(0, usageNode.path("prompt_tokens").asLong(0)),
          Math.max(0, usageNode.path("completion_tokens").asLong(0)));
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) != 0) {
        continue; // only one choice is ever requested
      }
      JsonNode message = choice.path(messageField);
      JsonNode content = message.get("content");
      if (content != null && content.isTextual()) {
        deliver(content.asText());
      }
      JsonNode calls = message.get("tool_calls");
      if (calls != null && calls.isArray() && !calls.isEmpty()) {
        started = true;
        int position = 0;
        for (JsonNode call : calls) {
          toolCalls.merge(call, position++, streaming);
        }
      }
      String reason = choice.path("finish_reason").asText("");
      if (!reason.isEmpty()) {
        finishReason = finishReason(reason);
      }
    }
  }

  private void deliver(String delta) {
    if (delta.isEmpty()) {
      return;
    }
    started = true;
    if (heldHighSurrogate != 0) {
      delta = heldHighSurrogate + delta;
      heldHighSurrogate = 0;
    }
    char last = delta.charAt(delta.length() - 1);
    if (Character.isHighSurrogate(last)) {
      heldHighSurrogate = last;
      delta = delta.substring(0, delta.length() - 1);
      if (delta.isEmpty()) {
        return;
      }
    }
    text.append(delta);
    listener.onText(delta);
  }

  private static FinishReason finishReason(String reason) {
    return switch (reason) {
      case "stop", "eos", "end_turn" -> FinishReason.STOP;
      case "length", "max_tokens" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }
}
