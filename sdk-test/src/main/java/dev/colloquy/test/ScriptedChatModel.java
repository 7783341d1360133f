package dev.colloquy.test;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A {@link ChatModel} for tests that answers from a script: replies served in order, rules
 * matched against the request, and failures on chosen calls. It records every request it gets.
 *
 * <pre>{@code
 * ScriptedChatModel model = ScriptedChatModel.builder()
 *     .whenUserMatches("(?i)hours", "We are open 9 to 17.")
 *     .reply("Hello!")
 *     .reply("Goodbye!")
 *     .build();
 * }</pre>
 *
 * <p>How a call is answered: a failure scheduled for this call number is thrown first; then the
 * first matching rule, in the order rules were added; then the next queued reply; then the
 * {@code otherwise} function; with none of these the call fails, showing the request.
 *
 * <p>Tokens, for max tokens and usage, are whitespace-separated words. Stop sequences cut the
 * text before the first one. Streams deliver the text in chunks of {@code chunkSize} characters
 * (never splitting a surrogate pair) and check cancellation between chunks.
 *
 * <p>Thread-safe.
 */
public final class ScriptedChatModel implements ChatModel {

  private static final Pattern WORD = Pattern.compile("\\S+");

  private final List<Rule> rules;
  private final Deque<Function<ChatRequest, AssistantMessage>> queue;
  private final Function<ChatRequest, AssistantMessage> otherwise;
  private final Map<Integer, Supplier<? extends RuntimeException>> failures;
  private final int chunkSize;
  private final ModelCapabilities capabilities;
  private final String modelId;
  private final List<ChatRequest> requests = new ArrayList<>();

  private ScriptedChatModel(Builder b) {
    this.rules = List.copyOf(b.rules);
    this.queue = new ArrayDeque<>(b.queue);
    this.otherwise = b.otherwise;
    this.failures = Map.copyOf(b.failures);
    this.chunkSize = b.chunkSize;
    this.capabilities = b.capabilities;
    this.modelId = b.modelId;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a model that answers every request with the same text. */
  public static ScriptedChatModel alwaysReplying(String text) {
    Objects.requireNonNull(text, "text");
    return builder().otherwise(request -> text).build();
  }

  @Override
  public ModelCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public ChatResponse generate(ChatRequest request, StreamListener listener, Cancellation cancellation) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(cancellation, "cancellation");
    int callNumber;
    Function<ChatRequest, AssistantMessage> answer;
    synchronized (requests) {
      requests.add(request);
      callNumber = requests.size();
      Supplier<? extends RuntimeException> failure = failures.get(callNumber);
      if (failure != null) {
        throw failure.get();
      }
      answer = pick(request, callNumber);
    }
    cancellation.throwIfCancelled();
    AssistantMessage scripted = answer.apply(request);
    return deliver(request, scripted, listener, cancellation);
  }

  /** Returns every request received so far, in order. */
  public List<ChatRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Returns the most recent request. */
  public ChatRequest lastRequest() {
    synchronized (requests) {
      if (requests.isEmpty()) {
        throw new AssertionError("the scripted model has received no request yet");
      }
      return requests.get(requests.size() - 1);
    }
  }

  /** Returns how many calls were made. */
  public int callCount() {
    synchronized (requests) {
      return requests.size();
    }
  }

  /** Returns how many queued replies have not been served. */
  public int remainingReplies() {
    synchronized (requests) {
      return queue.size();
    }
  }

  private Function<ChatRequest, AssistantMessage> pick(ChatRequest request, int callNumber) {
    for (Rule rule : rules) {
      if (rule.when.test(request)) {
        return rule.answer;
      }
    }
    Function<ChatRequest, AssistantMessage> next = queue.poll();
    if (next != null) {
      return next;
    }
    if (otherwise != null) {
      return otherwise;
    }
    throw new NonRetryableException("the scripted model has no reply for call #" + callNumber
        + " (no rule matched and the queue is empty). The request was:\n" + Transcripts.render(request));
  }

  private ChatResponse deliver(
      ChatRequest request, AssistantMessage scripted, StreamListener listener, Cancellation cancellation) {
    String text = scripted.text();
    FinishReason finish = scripted.hasToolCalls() ? FinishReason.TOOL_CALLS : FinishReason.STOP;
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
    for (int start = 0; start < text.length(); ) {
      cancellation.throwIfCancelled();
      int end = Math.min(text.length(), start + chunkSize);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end++;
      }
      listener.onText(text.substring(start, end));
      start = end;
    }
    for (ToolCall call : scripted.toolCalls()) {
      cancellation.throwIfCancelled();
      listener.onToolCall(call);
    }
    if (cancellation.isCancelled()) {
      throw new CancelledException("the call was cancelled by its caller");
    }
    long input = 0;
    for (Message m : request.messages()) {
      input += countWords(m.text());
    }
    return new ChatResponse(new AssistantMessage(text, scripted.toolCalls()), finish,
        new TokenUsage(input, words), modelId);
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
    var m = WORD.matcher(text);
    int end = 0;
    for (int i = 0; i < count && m.find(); i++) {
      end = m.end();
    }
    return text.substring(0, end);
  }

  private record Rule(Predicate<ChatRequest> when, Function<ChatRequest, AssistantMessage> answer) {
  }

  /** Builds a {@link ScriptedChatModel}. */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();
    private final List<Function<ChatRequest, AssistantMessage>> queue = new ArrayList<>();
    private final Map<Integer, Supplier<? extends RuntimeException>> failures = new HashMap<>();
    private Function<ChatRequest, AssistantMessage> otherwise;
    private int chunkSize = 4;
    private boolean chunkSizeSet;
    private ModelCapabilities capabilities = new ModelCapabilities(1 << 20, true, true, true, true);
    private boolean capabilitiesSet;
    private String modelId = "scripted";
    private boolean modelIdSet;

    private Builder() {
    }

    /** Queues a text reply, served after the replies queued before it. */
    public Builder reply(String text) {
      Objects.requireNonNull(text, "text");
      AssistantMessage message = AssistantMessage.of(text);
      queue.add(request -> message);
      return this;
    }

    /** Queues a reply holding one tool call, with id {@code call-N} for the N-th queued call. */
    public Builder replyToolCall(String toolName, String argumentsJson) {
      ToolCall call = new ToolCall("call-" + (queue.size() + 1), toolName, argumentsJson);
      return replyMessage(AssistantMessage.ofToolCalls(List.of(call)));
    }

    /** Queues a complete assistant message (text and/or tool calls). */
    public Builder replyMessage(AssistantMessage message) {
      Objects.requireNonNull(message, "message");
      queue.add(request -> message);
      return this;
    }

    /** Queues a reply computed from the request. */
    public Builder reply(Function<ChatRequest, String> answer) {
      Objects.requireNonNull(answer, "answer");
      queue.add(request -> AssistantMessage.of(answer.apply(request)));
      return this;
    }

    /** Adds a rule: requests matching the predicate get this text. Rules are tried in order. */
    public Builder when(Predicate<ChatRequest> predicate, String text) {
      Objects.requireNonNull(text, "text");
      return whenMessage(predicate, request -> AssistantMessage.of(text));
    }

    /** Adds a rule answering matching requests with a message computed from the request. */
    public Builder whenMessage(Predicate<ChatRequest> predicate, Function<ChatRequest, AssistantMessage> answer) {
      rules.add(new Rule(Objects.requireNonNull(predicate, "predicate"), Objects.requireNonNull(answer, "answer")));
      return this;
    }

    /** Adds a rule for requests whose last user message contains a match of the regex. */
    public Builder whenUserMatches(String regex, String text) {
      Pattern pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
      return when(request -> pattern.matcher(request.lastUserText()).find(), text);
    }

    /** Answers requests that no rule or queued reply answers (default: fail the call). */
    public Builder otherwise(Function<ChatRequest, String> answer) {
      if (otherwise != null) {
        throw new IllegalStateException("otherwise was already set");
      }
      Objects.requireNonNull(answer, "answer");
      otherwise = request -> AssistantMessage.of(answer.apply(request));
      return this;
    }

    /** Makes call number {@code callNumber} (counted from 1) throw the supplied exception. */
    public Builder failOnCall(int callNumber, Supplier<? extends RuntimeException> failure) {
      if (callNumber < 1) {
        throw new IllegalArgumentException("callNumber counts from 1, was " + callNumber);
      }
      if (failures.containsKey(callNumber)) {
        throw new IllegalStateException("a failure for call #" + callNumber + " was already set");
      }
      failures.put(callNumber, Objects.requireNonNull(failure, "failure"));
      return this;
    }

    /** Sets the stream chunk size in characters, at least 1 (default 4). */
    public Builder chunkSize(int value) {
      if (chunkSizeSet) {
        throw new IllegalStateException("chunkSize was already set to " + chunkSize);
      }
      if (value < 1) {
        throw new IllegalArgumentException("chunkSize must be at least 1, was " + value);
      }
      chunkSize = value;
      chunkSizeSet = true;
      return this;
    }

    /** Sets the stated capabilities (default: a 1M-token window, tools, JSON, streaming). */
    public Builder capabilities(ModelCapabilities value) {
      if (capabilitiesSet) {
        throw new IllegalStateException("capabilities was already set to " + capabilities);
      }
      capabilities = Objects.requireNonNull(value, "capabilities");
      capabilitiesSet = true;
      return this;
    }

    /** Sets the model id reported in responses (default {@code "scripted"}). */
    public Builder modelId(String value) {
      if (modelIdSet) {
        throw new IllegalStateException("modelId was already set to " + modelId);
      }
      Objects.requireNonNull(value, "modelId");
      if (value.isBlank()) {
        throw new IllegalArgumentException("modelId must not be blank");
      }
      modelId = value;
      modelIdSet = true;
      return this;
    }

    /** Returns a new model with this script; the builder is unchanged. */
    public ScriptedChatModel build() {
      return new ScriptedChatModel(this);
    }
  }
}
