package dev.colloquy.test;

import dev.colloquy.core.RetryableException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.resilience.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One scripted answer of a {@link ScriptedChatModel}: text and tool calls, how the text streams
 * (chunks, delays, a cut), the usage reported, or a failure instead of an answer.
 *
 * <pre>{@code
 * ScriptedReply.text("Your refund is on its way.").withUsage(12, 6);
 * ScriptedReply.toolCall("refund", "{\"orderId\": 1001}");
 * ScriptedReply.chunks("Hel", "lo").withChunkDelay(Duration.ofMillis(200)).truncatedAfter(1);
 * ScriptedReply.rateLimited(Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>Tool call ids are {@code call-1}, {@code call-2}, ... in the order of the calls. Each {@code
 * with...} setting may be given once. Immutable and thread-safe.
 */
public final class ScriptedReply {

  private final String text;
  private final List<ToolCall> toolCalls;
  private final List<String> chunks;
  private final Duration chunkDelay;
  private final TokenUsage usage;
  private final int truncatedAfter;
  private final Duration delayBeforeFailure;
  private final Supplier<? extends RuntimeException> failure;

  private ScriptedReply(
      String text,
      List<ToolCall> toolCalls,
      List<String> chunks,
      Duration chunkDelay,
      TokenUsage usage,
      int truncatedAfter,
      Duration delayBeforeFailure,
      Supplier<? extends RuntimeException> failure) {
    this.text = text;
    this.toolCalls = List.copyOf(toolCalls);
    this.chunks = List.copyOf(chunks);
    this.chunkDelay = chunkDelay;
    this.usage = usage;
    this.truncatedAfter = truncatedAfter;
    this.delayBeforeFailure = delayBeforeFailure;
    this.failure = failure;
  }

  /** Returns a reply of text, streamed in the model's chunk size. */
  public static ScriptedReply text(String text) {
    return new ScriptedReply(
        Objects.requireNonNull(text, "text"),
        List.of(),
        List.of(),
        Duration.ZERO,
        null,
        -1,
        Duration.ZERO,
        null);
  }

  /** Returns a reply of text streamed in exactly these chunks, each not empty. */
  public static ScriptedReply chunks(String... chunks) {
    List<String> list = List.of(chunks);
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).isEmpty()) {
        throw new IllegalArgumentException(
            "chunks[" + i + "] is empty; a stream never delivers an empty chunk");
      }
    }
    return new ScriptedReply(
        String.join("", list), List.of(), list, Duration.ZERO, null, -1, Duration.ZERO, null);
  }

  /** Returns a reply holding one tool call, with id {@code call-1} and no text. */
  public static ScriptedReply toolCall(String toolName, String argumentsJson) {
    return text("").andToolCall(toolName, argumentsJson);
  }

  /** Returns a reply made of a complete assistant message, its ids kept. */
  public static ScriptedReply of(AssistantMessage message) {
    Objects.requireNonNull(message, "message");
    return new ScriptedReply(
        message.text(),
        message.toolCalls(),
        List.of(),
        Duration.ZERO,
        null,
        -1,
        Duration.ZERO,
        null);
  }

  /** Returns a call that throws the supplied exception instead of answering. */
  public static ScriptedReply failure(Supplier<? extends RuntimeException> failure) {
    return new ScriptedReply(
        "",
        List.of(),
        List.of(),
        Duration.ZERO,
        null,
        -1,
        Duration.ZERO,
        Objects.requireNonNull(failure, "failure"));
  }

  /**
   * Returns a call rejected as HTTP 429 would be: a {@link RetryableException} whose {@code
   * retryAfter} is the given wait.
   */
  public static ScriptedReply rateLimited(Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    return failure(
        () ->
            new RetryableException(
                "429 Too Many Requests (scripted): retry after " + retryAfter, null, retryAfter));
  }

  /**
   * Returns a call that waits {@code after} on the model's {@link Sleeper}, then fails with a
   * {@link RetryableException} as a timed-out call would.
   */
  public static ScriptedReply timeout(Duration after) {
    Objects.requireNonNull(after, "after");
    ScriptedReply failing =
        failure(() -> new RetryableException("the scripted call timed out after " + after));
    return new ScriptedReply(
        "", List.of(), List.of(), Duration.ZERO, null, -1, after, failing.failure);
  }

  /** Returns this reply with one more tool call, numbered after the ones before it. */
  public ScriptedReply andToolCall(String toolName, String argumentsJson) {
    noFailure("andToolCall");
    List<ToolCall> calls = new ArrayList<>(toolCalls);
    calls.add(new ToolCall("call-" + (calls.size() + 1), toolName, argumentsJson));
    return new ScriptedReply(
        text, calls, chunks, chunkDelay, usage, truncatedAfter, delayBeforeFailure, failure);
  }

  /** Returns this reply reporting this usage instead of the word counts. */
  public ScriptedReply withUsage(long inputTokens, long outputTokens) {
    noFailure("withUsage");
    if (usage != null) {
      throw new IllegalStateException("usage was already set to " + usage);
    }
    return new ScriptedReply(
        text,
        toolCalls,
        chunks,
        chunkDelay,
        new TokenUsage(inputTokens, outputTokens),
        truncatedAfter,
        delayBeforeFailure,
        failure);
  }

  /** Returns this reply waiting {@code delay} on the model's {@link Sleeper} before each chunk. */
  public ScriptedReply withChunkDelay(Duration delay) {
    noFailure("withChunkDelay");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    if (!chunkDelay.isZero()) {
      throw new IllegalStateException("chunkDelay was already set to " + chunkDelay);
    }
    return new ScriptedReply(
        text, toolCalls, chunks, delay, usage, truncatedAfter, delayBeforeFailure, failure);
  }

  /**
   * Returns this reply cut after {@code chunkCount} chunks: those are streamed, then the call
   * throws {@link dev.colloquy.core.TruncatedResponseException} holding their text.
   */
  public ScriptedReply truncatedAfter(int chunkCount) {
    noFailure("truncatedAfter");
    if (chunkCount < 0) {
      throw new IllegalArgumentException("chunkCount must be zero or more, was " + chunkCount);
    }
    if (truncatedAfter >= 0) {
      throw new IllegalStateException("truncatedAfter was already set to " + truncatedAfter);
    }
    return new ScriptedReply(
        text, toolCalls, chunks, chunkDelay, usage, chunkCount, delayBeforeFailure, failure);
  }

  String text() {
    return text;
  }

  List<ToolCall> toolCalls() {
    return toolCalls;
  }

  List<String> chunks() {
    return chunks;
  }

  Duration chunkDelay() {
    return chunkDelay;
  }

  TokenUsage usage() {
    return usage;
  }

  int truncatedAfter() {
    return truncatedAfter;
  }

  Duration delayBeforeFailure() {
    return delayBeforeFailure;
  }

  Supplier<? extends RuntimeException> failure() {
    return failure;
  }

  /** Returns a short description for failure messages. */
  @Override
  public String toString() {
    if (failure != null) {
      return "failure";
    }
    StringBuilder s = new StringBuilder("\"").append(text.replace("\n", "\\n")).append('"');
    for (ToolCall call : toolCalls) {
      s.append(" [call ").append(call.name()).append(' ').append(call.arguments()).append(']');
    }
    return s.toString();
  }

  private void noFailure(String setting) {
    if (failure != null) {
      throw new IllegalStateException(setting + " does not apply to a failing reply");
    }
  }
}
