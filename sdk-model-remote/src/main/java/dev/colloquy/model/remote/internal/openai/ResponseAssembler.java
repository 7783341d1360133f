package dev.colloquy.model.remote.internal.openai;

import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.TruncatedResponseException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenLogprob;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.model.remote.RemoteErrorDetails;
import dev.colloquy.model.remote.RemoteProtocolException;
import dev.colloquy.model.remote.RemoteStreamErrorException;
import dev.colloquy.model.remote.internal.sse.SseEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the chunks of one chat-completions response into a {@link ChatResponse}: the single code
 * path for streamed replies (many {@code delta} chunks) and blocking ones (one body whose {@code
 * message} is treated as a single, complete delta).
 *
 * <p>Text deltas go to the listener as they arrive, holding back a trailing high surrogate so a
 * character is never split; tool calls are assembled by {@link ToolCallAssembler} and handed to the
 * listener when the response is complete. Logprobs entries ({@code choices[0].logprobs.content[]}),
 * per chunk or in the whole body, are collected in order for the response; the listener gets text
 * only. Not thread-safe: one per attempt.
 */
public final class ResponseAssembler {

  private final ObjectMapper mapper;
  private final StreamListener listener;
  private final String requestedModel;
  private final String where;
  private final ServerText server;
  private final StringBuilder text = new StringBuilder();
  private final ToolCallAssembler toolCalls = new ToolCallAssembler();
  private final List<TokenLogprob> logprobs = new ArrayList<>();
  private char heldHighSurrogate;
  private FinishReason finishReason;
  private String modelId;
  private TokenUsage usage = TokenUsage.ZERO;
  private boolean done;
  private boolean started;
  private boolean usageReceived;
  private String requestId = "";
  private final ChunkStreamReader chunks = new ChunkStreamReader();

  /**
   * @param mapper parses chunks
   * @param listener receives deltas
   * @param requestedModel the model name sent, used when the server names none
   * @param where the endpoint, for error messages
   * @param server redacts what the server sent before it goes into an exception or the model id
   */
  public ResponseAssembler(
      ObjectMapper mapper,
      StreamListener listener,
      String requestedModel,
      String where,
      ServerText server) {
    this.mapper = mapper;
    this.listener = listener;
    this.requestedModel = requestedModel;
    this.where = where;
    this.server = server;
  }

  /**
   * Takes the response's request id ({@code x-request-id}), for error reports; not yet redacted.
   */
  public void requestId(String value) {
    requestId = value;
  }

  /**
   * Takes one server-sent event of a streamed response, its data as UTF-8 bytes: an ordinary chunk
   * is read straight from them ({@link ChunkStreamReader}); anything else (the done marker, an
   * error, data that is not one clean JSON object) goes through {@link #onEvent(SseEvent)}.
   *
   * @param data holds the data in {@code [0, length)}; read only during this call
   */
  public void onEvent(String type, byte[] data, int length) {
    if (done) {
      return; // anything after [DONE] is not part of this response
    }
    if (!type.equals("error")) {
      ChunkReader.Chunk chunk = chunks.read(data, length, modelId);
      if (chunk != null) {
        apply(chunk, true);
        return;
      }
    }
    onEvent(new SseEvent(type, new String(data, 0, length, StandardCharsets.UTF_8), ""));
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
    if (event.type().equals("error")) {
      throw streamError(data, "the server reported an error inside its event stream from ");
    }
    ChunkReader.Chunk chunk = read(data, "delta", false);
    if (chunk.error) {
      throw streamError(data, "the server reported an error inside its event stream from ");
    }
    apply(chunk, true);
  }

  /** Takes the whole body of a response that was not streamed. */
  public void onBody(byte[] body) {
    String data = new String(body, StandardCharsets.UTF_8);
    ChunkReader.Chunk completion = read(data, "message", true);
    if (completion.error) {
      throw streamError(data, "the server answered with status 200 but an error body, from ");
    }
    if (completion.choices == 0) {
      throw new RemoteProtocolException(
          "the server at "
              + where
              + " answered 200 with a body that has no "
              + "choices: '"
              + server.excerpt(data, 200)
              + "'. Check that baseUrl points to an OpenAI-compatible /v1 endpoint.",
          null);
    }
    apply(completion, false);
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

  /**
   * Returns whether the {@code [DONE]} marker (or a whole body) arrived: nothing more belongs to
   * the response.
   */
  public boolean sawDone() {
    return done;
  }

  /** Returns whether any chunk carried token usage. */
  public boolean usageReceived() {
    return usageReceived;
  }

  /** Returns the text received so far, redacted, for an exception. */
  public String partialText() {
    return server.redact(
        heldHighSurrogate == 0 ? text.toString() : text.toString() + heldHighSurrogate);
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
      throw new TruncatedResponseException(
          "the response from "
              + where
              + " ended before its [DONE] "
              + "marker and without a finish reason, after "
              + text.length()
              + " characters of text; "
              + "the connection was probably cut. The text received so far is in partialText(); "
              + "retrying the call may succeed.",
          server.redact(text.toString()));
    }
    var calls = toolCalls.complete(where, server);
    for (var call : calls) {
      listener.onToolCall(call);
    }
    FinishReason reason = finishReason == null ? FinishReason.STOP : finishReason;
    if (!calls.isEmpty() && reason == FinishReason.STOP) {
      // Some servers (Ollama, older vLLM) say "stop" for a reply that asks for tools.
      reason = FinishReason.TOOL_CALLS;
    }
    String model = modelId == null ? requestedModel : server.redact(modelId);
    return new ChatResponse(
        new AssistantMessage(text.toString(), calls), reason, usage, model, List.of(), logprobs);
  }

  private ChunkReader.Chunk read(String data, String messageField, boolean wholeBody) {
    try {
      return ChunkReader.read(mapper, data, messageField);
    } catch (JsonEOFException e) {
      if (wholeBody) {
        throw new TruncatedResponseException(
            "the response body from "
                + where
                + " ended in the middle of its JSON; the connection was probably cut. Retrying may succeed.",
            "");
      }
      throw malformed(data, e);
    } catch (IOException e) {
      throw malformed(data, e);
    }
  }

  private RemoteStreamErrorException streamError(String data, String what) {
    JsonNode node;
    try {
      node = mapper.readTree(data);
    } catch (IOException e) {
      node = null; // not JSON: the raw text is the error text
    }
    RemoteErrorDetails details = ErrorMapper.details(server, node, data, requestId);
    return new RemoteStreamErrorException(
        what + where + ": " + details.text() + ErrorMapper.summary(details),
        details,
        partialText());
  }

  private RemoteProtocolException malformed(String data, Exception cause) {
    return new RemoteProtocolException(
        "the server at "
            + where
            + " sent a chunk that is not valid JSON ("
            + server.problem(cause)
            + "): '"
            + server.excerpt(data, 200)
            + "'. Check that baseUrl points to an OpenAI-compatible /v1 endpoint.",
        server.safeCause(cause));
  }

  private void apply(ChunkReader.Chunk chunk, boolean streaming) {
    if (chunk.model != null && !chunk.model.isBlank()) {
      modelId = chunk.model;
    }
    if (chunk.usage != null) {
      usage = chunk.usage;
      usageReceived = true;
    }
    if (chunk.content != null) {
      deliver(chunk.content);
    }
    if (chunk.logprobs != null) {
      logprobs.addAll(chunk.logprobs);
    }
    if (chunk.toolCalls != null && !chunk.toolCalls.isEmpty()) {
      started = true;
      int position = 0;
      for (JsonNode call : chunk.toolCalls) {
        toolCalls.merge(call, position++, streaming);
      }
    }
    if (chunk.finishReason != null && !chunk.finishReason.isEmpty()) {
      finishReason = finishReason(chunk.finishReason);
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
