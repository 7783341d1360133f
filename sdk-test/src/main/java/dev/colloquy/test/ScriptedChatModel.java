package dev.colloquy.test;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.resilience.Sleeper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
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
 * A {@link ChatModel} for tests that answers from a script: replies served in order, rules matched
 * against the request, and failures on chosen calls. It records every request it gets.
 *
 * <pre>{@code
 * ScriptedChatModel model = ScriptedChatModel.builder()
 *     .whenUserMatches("(?i)hours", "We are open 9 to 17.")
 *     .reply(ScriptedReply.rateLimited(Duration.ofSeconds(1)))
 *     .reply(ScriptedReply.toolCall("refund", "{\"orderId\": 1001}"))
 *     .reply("Done!")
 *     .strict()
 *     .build();
 * }</pre>
 *
 * <p>How a call is answered: a failure scheduled for this call number is thrown first; then the
 * matching rule of highest priority (among equals, the first added); then the next queued reply;
 * then the {@code otherwise} function. With none of these the call fails showing the request: with
 * a {@link NonRetryableException} by default, or, in {@link Builder#strict() strict} mode, with an
 * {@link AssertionError} that no code under test can mistake for a backend failure and catch.
 *
 * <p>Delivery is described in {@link ScriptedReply}: tokens, for max tokens and usage, are
 * whitespace-separated words; stop sequences cut the text before the first one; streams deliver the
 * text in chunks of {@code chunkSize} characters (never splitting a surrogate pair), wait on the
 * {@link Sleeper} between chunks when asked, and check cancellation between chunks.
 *
 * <p>Thread-safe.
 */
public final class ScriptedChatModel implements ChatModel {

  private final List<ScriptRule> rules;
  private final Deque<Function<ChatRequest, ScriptedReply>> queue;
  private final Function<ChatRequest, ScriptedReply> otherwise;
  private final Map<Integer, Supplier<? extends RuntimeException>> failures;
  private final int chunkSize;
  private final ModelCapabilities capabilities;
  private final String modelId;
  private final boolean strict;
  private final Sleeper sleeper;
  private final List<ChatRequest> requests = new ArrayList<>();

  private ScriptedChatModel(Builder b) {
    List<ScriptRule> sorted = new ArrayList<>(b.rules);
    sorted.sort(Comparator.comparingInt(ScriptRule::priority).reversed());
    this.rules = List.copyOf(sorted);
    this.queue = new ArrayDeque<>(b.queue);
    this.otherwise = b.otherwise;
    this.failures = Map.copyOf(b.failures);
    this.chunkSize = b.chunkSize;
    this.capabilities = b.capabilities;
    this.modelId = b.modelId;
    this.strict = b.strict;
    this.sleeper = b.sleeper;
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
  public ChatResponse generate(
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(cancellation, "cancellation");
    Function<ChatRequest, ScriptedReply> answer;
    synchronized (requests) {
      requests.add(request);
      int callNumber = requests.size();
      Supplier<? extends RuntimeException> failure = failures.get(callNumber);
      if (failure != null) {
        throw failure.get();
      }
      answer = pick(request, callNumber);
    }
    cancellation.throwIfCancelled();
    ScriptedReply reply =
        Objects.requireNonNull(answer.apply(request), "a scripted answer returned null");
    return ScriptedStream.deliver(
        request, reply, chunkSize, sleeper, modelId, listener, cancellation);
  }

  /** Returns every request received so far, in order. */
  public List<ChatRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /**
   * Returns the most recent request.
   *
   * @throws AssertionError when no request was received
   */
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

  /**
   * Verifies that every queued reply was served: a test that scripted three turns and ran two fails
   * here.
   *
   * @throws AssertionError naming how many replies are left and how many calls were made
   */
  public void assertScriptConsumed() {
    synchronized (requests) {
      if (!queue.isEmpty()) {
        throw new AssertionError(
            "the scripted model still holds "
                + queue.size()
                + " queued "
                + (queue.size() == 1 ? "reply" : "replies")
                + " after "
                + requests.size()
                + " "
                + (requests.size() == 1 ? "call" : "calls")
                + "; the code under test made fewer calls than scripted");
      }
    }
  }

  private Function<ChatRequest, ScriptedReply> pick(ChatRequest request, int callNumber) {
    for (ScriptRule rule : rules) {
      if (rule.matches(request)) {
        return rule.answer();
      }
    }
    Function<ChatRequest, ScriptedReply> next = queue.poll();
    if (next != null) {
      return next;
    }
    if (otherwise != null) {
      return otherwise;
    }
    if (strict) {
      throw new AssertionError(ScriptRule.unscriptedView(request, callNumber, rules));
    }
    throw new NonRetryableException(
        "the scripted model has no reply for call #"
            + callNumber
            + " (no rule matched and the queue is empty). The request was:\n"
            + Transcripts.render(request));
  }

  /**
   * Builds a {@link ScriptedChatModel}. Replies and rules accumulate; every other setting may be
   * given once.
   */
  public static final class Builder {
    private final List<ScriptRule> rules = new ArrayList<>();
    private final List<Function<ChatRequest, ScriptedReply>> queue = new ArrayList<>();
    private final Map<Integer, Supplier<? extends RuntimeException>> failures = new HashMap<>();
    private Function<ChatRequest, ScriptedReply> otherwise;
    private int chunkSize = 4;
    private boolean chunkSizeSet;
    private ModelCapabilities capabilities = new ModelCapabilities(1 << 20, true, true, true, true);
    private boolean capabilitiesSet;
    private String modelId = "scripted";
    private boolean modelIdSet;
    private boolean strict;
    private Sleeper sleeper = Sleeper.system();
    private boolean sleeperSet;

    private Builder() {}

    /** Queues a text reply, served after the replies queued before it. */
    public Builder reply(String text) {
      return reply(ScriptedReply.text(text));
    }

    /** Queues a scripted reply: text, tool calls, chunks, delays, usage or a failure. */
    public Builder reply(ScriptedReply reply) {
      Objects.requireNonNull(reply, "reply");
      queue.add(request -> reply);
      return this;
    }

    /** Queues a reply holding one tool call, with id {@code call-N} for the N-th queued call. */
    public Builder replyToolCall(String toolName, String argumentsJson) {
      ToolCall call = new ToolCall("call-" + (queue.size() + 1), toolName, argumentsJson);
      return replyMessage(AssistantMessage.ofToolCalls(List.of(call)));
    }

    /** Queues a complete assistant message (text and/or tool calls). */
    public Builder replyMessage(AssistantMessage message) {
      return reply(ScriptedReply.of(message));
    }

    /** Queues a reply computed from the request. */
    public Builder reply(Function<ChatRequest, String> answer) {
      Objects.requireNonNull(answer, "answer");
      queue.add(request -> ScriptedReply.text(answer.apply(request)));
      return this;
    }

    /** Adds a rule of priority 0: requests matching the predicate get this text. */
    public Builder when(Predicate<ChatRequest> predicate, String text) {
      return when(predicate, ScriptedReply.text(text));
    }

    /** Adds a rule of priority 0: requests matching the predicate get this reply. */
    public Builder when(Predicate<ChatRequest> predicate, ScriptedReply reply) {
      Objects.requireNonNull(reply, "reply");
      return rule("rule #" + (rules.size() + 1), 0, predicate, request -> reply);
    }

    /**
     * Adds a rule of priority 0 answering matching requests with a message computed from the
     * request.
     */
    public Builder whenMessage(
        Predicate<ChatRequest> predicate, Function<ChatRequest, AssistantMessage> answer) {
      Objects.requireNonNull(answer, "answer");
      return rule(
          "rule #" + (rules.size() + 1),
          0,
          predicate,
          request -> ScriptedReply.of(answer.apply(request)));
    }

    /**
     * Adds a rule of priority 0 for requests that end with a user message containing a match of the
     * regex. See {@link #whenUserMatches(String, int, String, ScriptedReply)}.
     */
    public Builder whenUserMatches(String regex, String text) {
      return whenUserMatches(regex, ScriptedReply.text(text));
    }

    /**
     * Adds a rule of priority 0 for requests that end with a user message containing a match of the
     * regex. See {@link #whenUserMatches(String, int, String, ScriptedReply)}.
     */
    public Builder whenUserMatches(String regex, ScriptedReply reply) {
      return whenUserMatches("user matches /" + regex + "/", 0, regex, reply);
    }

    /**
     * Adds a named rule for requests that end with a user message containing a match of the regex.
     * Only the first model call of a user turn ends with the user's message: the call that carries
     * a tool's result does not, so a rule answering with a tool call answers once per turn instead
     * of asking for the tool again on its own result.
     *
     * @param name how failure messages name the rule; not blank
     * @param priority higher wins; any int
     * @param regex searched for in the last message's text
     * @param reply the reply
     */
    public Builder whenUserMatches(String name, int priority, String regex, ScriptedReply reply) {
      Pattern pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
      Objects.requireNonNull(reply, "reply");
      return rule(
          name,
          priority,
          request -> endsWithUserMessage(request) && pattern.matcher(request.lastUserText()).find(),
          request -> reply);
    }

    private static boolean endsWithUserMessage(ChatRequest request) {
      List<Message> messages = request.messages();
      return !messages.isEmpty() && messages.get(messages.size() - 1).role() == Message.Role.USER;
    }

    /**
     * Adds a named rule. The matching rule of highest priority answers; among rules of equal
     * priority, the first added.
     *
     * @param name how failure messages name the rule; not blank
     * @param priority higher wins; any int
     * @param predicate which requests the rule answers
     * @param answer the reply, computed from the request
     */
    public Builder rule(
        String name,
        int priority,
        Predicate<ChatRequest> predicate,
        Function<ChatRequest, ScriptedReply> answer) {
      rules.add(new ScriptRule(name, priority, predicate, answer));
      return this;
    }

    /** Answers requests that no rule or queued reply answers (default: fail the call). */
    public Builder otherwise(Function<ChatRequest, String> answer) {
      if (otherwise != null) {
        throw new IllegalStateException("otherwise was already set");
      }
      Objects.requireNonNull(answer, "answer");
      otherwise = request -> ScriptedReply.text(answer.apply(request));
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

    /**
     * Makes an unscripted request fail the test with an {@link AssertionError} showing what was
     * asked and which rules were tried (default: a {@link NonRetryableException}).
     */
    public Builder strict() {
      if (strict) {
        throw new IllegalStateException("strict was already set");
      }
      strict = true;
      return this;
    }

    /** Sets what waits for chunk delays and timeouts (default: {@link Sleeper#system()}). */
    public Builder sleeper(Sleeper value) {
      if (sleeperSet) {
        throw new IllegalStateException("sleeper was already set to " + sleeper);
      }
      sleeper = Objects.requireNonNull(value, "sleeper");
      sleeperSet = true;
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
