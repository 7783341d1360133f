package dev.colloquy.test;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.TruncatedResponseException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.core.resilience.Sleeper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivers one {@link ScriptedReply} the way a backend would: stop sequences and max tokens
 * applied, text streamed in chunks with delays, tool calls after the text, usage counted. Tokens
 * are whitespace-separated words.
 */
final class ScriptedStream {

  private static final Pattern WORD = Pattern.compile("\\S+");

  private ScriptedStream() {}

  static ChatResponse deliver(
      ChatRequest request,
      ScriptedReply reply,
      int chunkSize,
      Sleeper sleeper,
      String modelId,
      StreamListener listener,
      Cancellation cancellation) {
    if (reply.failure() != null) {
      if (!reply.delayBeforeFailure().isZero()) {
        sleeper.sleep(reply.delayBeforeFailure(), cancellation);
      }
      cancellation.throwIfCancelled();
      throw reply.failure().get();
    }
    String text = reply.text();
    FinishReason finish = reply.toolCalls().isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
    int stopAt = firstStop(text, request.options().stop());
    if (stopAt >= 0) {
      text = text.substring(0, stopAt);
    }
    int maxTokens = request.options().maxTokens().orElse(Integer.MAX_VALUE);
    int words = countWords(text);
    if (words > maxTokens) {
      text = firstWords(text, maxTokens);
      words = maxTokens;
      finish = FinishReason.LENGTH;
    }
    // Scripted chunks are kept only when no stop or limit changed the text they spell.
    List<String> chunks =
        text.equals(reply.text()) && !reply.chunks().isEmpty()
            ? reply.chunks()
            : split(text, chunkSize);
    int deliverable =
        reply.truncatedAfter() >= 0
            ? Math.min(reply.truncatedAfter(), chunks.size())
            : chunks.size();
    StringBuilder delivered = new StringBuilder();
    for (int i = 0; i < deliverable; i++) {
      if (!reply.chunkDelay().isZero()) {
        sleeper.sleep(reply.chunkDelay(), cancellation);
      }
      cancellation.throwIfCancelled();
      listener.onText(chunks.get(i));
      delivered.append(chunks.get(i));
    }
    if (reply.truncatedAfter() >= 0) {
      cancellation.throwIfCancelled();
      throw new TruncatedResponseException(
          "the scripted stream was cut after "
              + deliverable
              + " of "
              + chunks.size()
              + " chunks, before its finish reason",
          delivered.toString());
    }
    for (ToolCall call : reply.toolCalls()) {
      cancellation.throwIfCancelled();
      listener.onToolCall(call);
    }
    if (cancellation.isCancelled()) {
      throw new CancelledException("the call was cancelled by its caller");
    }
    TokenUsage usage = reply.usage();
    if (usage == null) {
      long input = 0;
      for (Message m : request.messages()) {
        input += countWords(m.text());
      }
      usage = new TokenUsage(input, words);
    }
    return new ChatResponse(new AssistantMessage(text, reply.toolCalls()), finish, usage, modelId);
  }

  private static List<String> split(String text, int chunkSize) {
    List<String> chunks = new ArrayList<>();
    for (int start = 0; start < text.length(); ) {
      int end = Math.min(text.length(), start + chunkSize);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end++;
      }
      chunks.add(text.substring(start, end));
      start = end;
    }
    return chunks;
  }

  private static int firstStop(String text, List<String> stops) {
    int first = -1;
    for (String stop : stops) {
      int at = text.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    return first;
  }

  private static int countWords(String text) {
    return (int) WORD.matcher(text).results().count();
  }

  private static String firstWords(String text, int count) {
    Matcher m = WORD.matcher(text);
    int end = 0;
    for (int i = 0; i < count && m.find(); i++) {
      end = m.end();
    }
    return text.substring(0, end);
  }
}
