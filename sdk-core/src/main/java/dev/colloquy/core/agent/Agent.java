package dev.colloquy.core.agent;

import dev.colloquy.core.cost.BudgetPolicy;
import dev.colloquy.core.cost.CostLedger;
import dev.colloquy.core.guard.Guard;
import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.internal.trace.SpanFactory;
import dev.colloquy.core.internal.trace.TracedChatModel;
import dev.colloquy.core.internal.trace.TracingAccess;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.message.SystemMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.observe.ChatListener;
import dev.colloquy.core.observe.ListeningChatModel;
import dev.colloquy.core.observe.Tracing;
import dev.colloquy.core.prompt.PromptTemplate;
import dev.colloquy.core.resilience.Scheduler;
import dev.colloquy.core.tool.ToolCallCheck;
import dev.colloquy.core.tool.ToolCallDecision;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.core.tool.Toolbox;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A conversational agent: a model, a system prompt, memory, default options and tools.
 *
 * <pre>{@code
 * Agent agent = Agent.builder()
 *     .model(model)
 *     .system("You are the support assistant of {{shop}}.")
 *     .variable("shop", "Acme")
 *     .memory(ChatMemory.window(20))
 *     .build();
 * String reply = agent.chat("customer-42", "Where is my order?");
 * }</pre>
 *
 * <p>The life of a turn: render the system prompt; take the conversation's lock (waiting only as
 * long as the turn's cancellation and deadline allow); load its history; send system prompt,
 * history and the user's message to the model; while the model asks for tools, run them (see {@link
 * Toolbox}) and call it again with the results; then commit the whole turn (user message, tool
 * calls and results, answer) to memory in one step. A failed or cancelled turn commits nothing.
 * Turns of one conversation never interleave; different conversations run in parallel.
 *
 * <p>Design note (this file is long because of its builder): the agent is immutable once built;
 * every setting is validated when set, may be set once, and has a documented default; the turn
 * itself runs in the package-private TurnRunner, which owns the invariants of memory and tools
 * (nothing committed before the answer is accepted, each tool call run at most once per turn).
 *
 * <p>Immutable and thread-safe.
 */
public final class Agent {

  private final ChatModel model;
  private final PromptTemplate system;
  private final Map<String, Object> defaultVariables;
  private final Set<String> expectedVariables;
  private final ChatMemory memory;
  private final ChatOptions options;
  private final Toolbox toolbox;
  private final int structuredOutputRetries;
  private final TurnRunner runner;

  private Agent(Builder b) {
    this.model = b.model;
    this.system = b.system;
    this.defaultVariables = Map.copyOf(b.variables);
    this.expectedVariables = Set.copyOf(b.expectedVariables);
    this.memory = b.memory != null ? b.memory : ChatMemory.window(Builder.DEFAULT_WINDOW);
    this.options = b.options != null ? b.options : ChatOptions.defaults();
    this.toolbox = b.toolbox != null ? b.toolbox : Toolbox.empty();
    this.structuredOutputRetries = b.structuredOutputRetries;
    ChatListener listener = b.listener != null ? b.listener : ChatListener.NONE;
    SpanFactory spans = b.tracing != null ? TracingAccess.spans(b.tracing) : null;
    // Traced outside Listening, so that the listener's events (and log lines) see the chat span.
    ChatModel observed = observe("agent", model, b.listener, spans);
    Map<String, ChatModel> alternatives = new HashMap<>();
    b.alternatives.forEach(
        (name, alternative) ->
            alternatives.put(name, observe(name, alternative, b.listener, spans)));
    this.runner =
        new TurnRunner(
            new TurnSettings(
                observed,
                memory,
                toolbox,
                b.turnDeadline,
                b.nanoTime,
                b.inputGuard,
                b.outputGuard,
                b.toolCallCheck,
                b.redactor,
                b.refusal,
                listener,
                b.ledger,
                b.budgets,
                Map.copyOf(alternatives),
                b.name,
                spans),
            Scheduler.system());
  }

  private static ChatModel observe(
      String name, ChatModel model, ChatListener listener, SpanFactory spans) {
    ChatModel result = listener != null ? ListeningChatModel.of(name, model, listener) : model;
    return spans != null ? new TracedChatModel(spans, null, null, result) : result;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends the user's text and returns the reply's text.
   *
   * @param conversationId the conversation; not blank
   * @param text what the user said; not empty
   * @throws dev.colloquy.core.ColloquyException when the turn fails; memory is then unchanged
   */
  public String chat(String conversationId, String text) {
    return run(Turn.of(conversationId, text)).text();
  }

  /**
   * Sends the user's text with values for the system prompt's variables and returns the reply's
   * text.
   *
   * @param conversationId the conversation; not blank
   * @param text what the user said; not empty
   * @param variables values for this turn, on top of the agent's defaults
   * @throws dev.colloquy.core.ColloquyException when the turn fails; memory is then unchanged
   */
  public String chat(String conversationId, String text, Map<String, ?> variables) {
    return run(Turn.of(conversationId, text).withVariables(variables)).text();
  }

  /**
   * Sends the user's text and streams the reply to a listener; returns when the reply is complete.
   *
   * @param conversationId the conversation; not blank
   * @param text what the user said; not empty
   * @param listener receives the reply's text as it is generated
   * @throws dev.colloquy.core.ColloquyException when the turn fails; memory is then unchanged
   */
  public Reply stream(String conversationId, String text, StreamListener listener) {
    return run(Turn.of(conversationId, text).withListener(listener));
  }

  /**
   * Runs one turn with every setting of {@link Turn}.
   *
   * @param turn the turn
   * @return the completed turn
   * @throws dev.colloquy.core.ColloquyException when the turn fails; memory is then unchanged
   */
  public Reply run(Turn turn) {
    Objects.requireNonNull(turn, "turn");
    return runner.run(
        turn, renderSystem(turn.variables()), options, TurnRunner.AnswerCheck.ANY, 0, "text");
  }

  /**
   * Sends the user's text and reads the reply as a value of the given type (a record, say).
   *
   * <p>The backend is asked for JSON fitting the type's schema when it supports that, JSON mode
   * plus an instruction when it supports only that, an instruction alone otherwise. Markdown fences
   * are stripped. A reply that does not parse or fit is sent back with the error, up to {@link
   * Builder#structuredOutputRetries} times; the re-asks are not committed to memory.
   *
   * @param conversationId the conversation; not blank
   * @param text what the user said; not empty
   * @param type the type to read the reply as
   * @throws StructuredOutputException when no reply could be read; it holds the last raw reply
   */
  public <T> T chat(String conversationId, String text, Class<T> type) {
    return run(Turn.of(conversationId, text), type);
  }

  /**
   * Runs one turn and reads the reply as a value of the given type; see {@link #chat(String,
   * String, Class)}.
   *
   * @param turn the turn
   * @param type the type to read the reply as
   * @throws StructuredOutputException when no reply could be read; it holds the last raw reply
   */
  public <T> T run(Turn turn, Class<T> type) {
    Objects.requireNonNull(turn, "turn");
    StructuredOutput<T> structured = new StructuredOutput<>(Objects.requireNonNull(type, "type"));
    Optional<SystemMessage> base = renderSystem(turn.variables());
    SystemMessage system =
        new SystemMessage(base.map(m -> m.text() + "\n\n").orElse("") + structured.instruction());
    TurnRunner.AnswerCheck check =
        new TurnRunner.AnswerCheck() {
          @Override
          public Optional<String> problem(String reply) {
            return structured.problem(reply);
          }

          @Override
          public String reask(String problem) {
            return structured.reask(problem);
          }
        };
    Reply reply =
        runner.run(
            turn,
            Optional.of(system),
            structured.options(options, model.capabilities()),
            check,
            structuredOutputRetries,
            structured.typeName());
    return structured.read(reply.text());
  }

  /**
   * Returns the exact request a turn with this text would send now, without sending it or changing
   * memory.
   *
   * @param conversationId the conversation; not blank
   * @param text what the user would say; not empty
   */
  public ChatRequest render(String conversationId, String text) {
    return render(conversationId, text, Map.of());
  }

  /**
   * Returns the exact request a turn with this text and these variables would send now, without
   * sending it or changing memory: the user's text redacted and rewritten by the input guard as a
   * turn would (no events are emitted; when the guard would block, this is the refused request).
   *
   * @param conversationId the conversation; not blank
   * @param text what the user would say; not empty
   * @param variables values for this turn, on top of the agent's defaults
   */
  public ChatRequest render(String conversationId, String text, Map<String, ?> variables) {
    Turn turn = Turn.of(conversationId, text).withVariables(variables);
    return runner.firstRequest(turn, renderSystem(turn.variables()), options);
  }

  /** Returns this agent's memory. */
  public ChatMemory memory() {
    return memory;
  }

  /** Returns this agent's model. */
  public ChatModel model() {
    return model;
  }

  /** Returns this agent's tools. */
  public Toolbox toolbox() {
    return toolbox;
  }

  private Optional<SystemMessage> renderSystem(Map<String, Object> turnVariables) {
    if (system == null) {
      return Optional.empty();
    }
    Map<String, Object> values = new HashMap<>(defaultVariables);
    values.putAll(turnVariables);
    String text = system.render(values);
    return text.isBlank() ? Optional.empty() : Optional.of(new SystemMessage(text));
  }

  /**
   * Builds an {@link Agent}. Each setting is validated when set and may be set once; only the model
   * is required.
   */
  public static final class Builder {
    static final int DEFAULT_WINDOW = 20;
    static final String DEFAULT_REFUSAL = "Sorry, I can't help with that request.";

    private ChatModel model;
    private PromptTemplate system;
    private final Map<String, Object> variables = new LinkedHashMap<>();
    private final Set<String> expectedVariables = new LinkedHashSet<>();
    private ChatMemory memory;
    private ChatOptions options;
    private Toolbox toolbox;
    private Duration turnDeadline;
    private LongSupplier nanoTime = System::nanoTime;
    private boolean nanoTimeSet;
    private int structuredOutputRetries = 2;
    private boolean structuredOutputRetriesSet;
    private Guard inputGuard;
    private Guard outputGuard;
    private ToolCallCheck toolCallCheck;
    private PiiRedactor redactor;
    private String refusal = DEFAULT_REFUSAL;
    private boolean refusalSet;
    private ChatListener listener;
    private String name;
    private Tracing tracing;
    private CostLedger ledger;
    private BudgetPolicy budgets;
    private final Map<String, ChatModel> alternatives = new LinkedHashMap<>();

    private Builder() {}

    /** Sets the model (required). */
    public Builder model(ChatModel value) {
      if (model != null) {
        throw new IllegalStateException("model was already set to " + model);
      }
      model = Objects.requireNonNull(value, "model");
      return this;
    }

    /** Sets the system prompt, a {@link PromptTemplate} source (default: none). */
    public Builder system(String template) {
      return system(PromptTemplate.of("system prompt", Objects.requireNonNull(template, "system")));
    }

    /** Sets the system prompt (default: none). */
    public Builder system(PromptTemplate template) {
      if (system != null) {
        throw new IllegalStateException("system was already set to " + system);
      }
      system = Objects.requireNonNull(template, "system");
      return this;
    }

    /** Sets a default value of a system prompt variable; a turn's own value wins. */
    public Builder variable(String name, Object value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, () -> "value of variable '" + name + "'");
      if (variables.containsKey(name)) {
        throw new IllegalStateException(
            "variable '" + name + "' was already set to " + variables.get(name));
      }
      variables.put(name, value);
      return this;
    }

    /**
     * Declares system prompt variables that have no default and that each turn supplies. Without
     * this, {@link #build()} rejects a prompt variable that has no default.
     */
    public Builder expectVariables(String... names) {
      for (String name : names) {
        Objects.requireNonNull(name, "variable name");
        if (!expectedVariables.add(name)) {
          throw new IllegalStateException("variable '" + name + "' was already expected");
        }
      }
      return this;
    }

    /**
     * Sets the memory (default: {@code ChatMemory.window(20)}, a window of 20 messages in the
     * heap).
     */
    public Builder memory(ChatMemory value) {
      if (memory != null) {
        throw new IllegalStateException("memory was already set");
      }
      memory = Objects.requireNonNull(value, "memory");
      return this;
    }

    /** Sets the default generation options (default: none set, the backend decides). */
    public Builder options(ChatOptions value) {
      if (options != null) {
        throw new IllegalStateException("options was already set to " + options);
      }
      options = Objects.requireNonNull(value, "options");
      return this;
    }

    /**
     * Gives the agent tools with the default {@link Toolbox} rules: each argument is an object with
     * {@link dev.colloquy.core.tool.Tool}-annotated methods or a {@link ToolDefinition}. For
     * budgets, timeouts, an allow-list or approval, build a {@link Toolbox} and use {@link
     * #toolbox(Toolbox)}.
     */
    public Builder tools(Object... tools) {
      Toolbox.Builder box = Toolbox.builder();
      for (Object tool : tools) {
        if (tool instanceof ToolDefinition definition) {
          box.add(definition);
        } else {
          box.add(Objects.requireNonNull(tool, "tool"));
        }
      }
      return toolbox(box.build());
    }

    /** Sets the agent's tools and the rules for running them (default: no tools). */
    public Builder toolbox(Toolbox value) {
      if (toolbox != null) {
        throw new IllegalStateException("tools were already set");
      }
      toolbox = Objects.requireNonNull(value, "toolbox");
      return this;
    }

    /**
     * Sets the most time a whole turn may take, from 1 ms to 24 h (default: no limit; the same
     * range as the DSL's {@code deadline}, and longer would overflow). It counts from the call:
     * waiting for a conversation another turn is using, the model calls and the tools are all
     * inside it. A turn past it fails with {@link TurnDeadlineExceededException} and commits
     * nothing.
     */
    public Builder turnDeadline(Duration value) {
      if (turnDeadline != null) {
        throw new IllegalStateException("turnDeadline was already set to " + turnDeadline);
      }
      Objects.requireNonNull(value, "turnDeadline");
      if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("turnDeadline must be from 1 ms to 24 h, was " + value);
      }
      turnDeadline = value;
      return this;
    }

    /**
     * Sets the time source for deadlines and tool durations, for tests (default: {@code
     * System::nanoTime}).
     */
    public Builder nanoTime(LongSupplier value) {
      if (nanoTimeSet) {
        throw new IllegalStateException("nanoTime was already set");
      }
      nanoTime = Objects.requireNonNull(value, "nanoTime");
      nanoTimeSet = true;
      return this;
    }

    /** Sets how often a structured reply that does not parse is re-asked, 0 to 10 (default 2). */
    public Builder structuredOutputRetries(int value) {
      if (structuredOutputRetriesSet) {
        throw new IllegalStateException(
            "structuredOutputRetries was already set to " + structuredOutputRetries);
      }
      if (value < 0 || value > 10) {
        throw new IllegalArgumentException(
            "structuredOutputRetries must be between 0 and 10, was " + value);
      }
      structuredOutputRetries = value;
      structuredOutputRetriesSet = true;
      return this;
    }

    /**
     * Sets the guard that checks the user's text before the model sees it (default: none). A block
     * returns the {@link #refusal} and commits nothing; a rewrite sends and remembers the new text.
     */
    public Builder inputGuard(Guard value) {
      if (inputGuard != null) {
        throw new IllegalStateException("inputGuard was already set to " + inputGuard);
      }
      inputGuard = Objects.requireNonNull(value, "inputGuard");
      return this;
    }

    /**
     * Sets the guard that checks the final answer before the caller sees it (default: none). A
     * block returns the {@link #refusal} and commits nothing; a rewrite replaces the answer. With
     * an output guard, stream listeners still receive the unguarded deltas: buffer them if that
     * matters.
     */
    public Builder outputGuard(Guard value) {
      if (outputGuard != null) {
        throw new IllegalStateException("outputGuard was already set to " + outputGuard);
      }
      outputGuard = Objects.requireNonNull(value, "outputGuard");
      return this;
    }

    /**
     * Sets the check that sees each round's tool calls, with the user's text, before any of them
     * runs (default: none, every call runs). An {@link ToolCallDecision#answer answer} runs none of
     * the round's calls and ends the turn with its text: it is streamed to the turn's listener as
     * one delta, goes through the output guard (and a structured output's check) like a model's
     * answer, and is remembered in place of the calls. With {@link #redaction}, the check sees the
     * real values and its answer is redacted like a model's.
     */
    public Builder toolCallCheck(ToolCallCheck value) {
      if (toolCallCheck != null) {
        throw new IllegalStateException("toolCallCheck was already set to " + toolCallCheck);
      }
      toolCallCheck = Objects.requireNonNull(value, "toolCallCheck");
      return this;
    }

    /**
     * Redacts personal data in the user's text reversibly, per turn (default: no redaction): the
     * model and memory see placeholders such as {@code [EMAIL_1]}, tools get the real values in
     * their arguments (and their results are redacted again), and the reply returned to the caller
     * has the placeholders replaced by the real values. Runs before the input guard.
     */
    public Builder redaction(PiiRedactor value) {
      if (redactor != null) {
        throw new IllegalStateException("redaction was already set to " + redactor);
      }
      redactor = Objects.requireNonNull(value, "redaction");
      return this;
    }

    /**
     * Sets the reply given when a guard blocks a turn (default: "Sorry, I can't help with that
     * request.").
     */
    public Builder refusal(String value) {
      if (refusalSet) {
        throw new IllegalStateException("refusal was already set to \"" + refusal + "\"");
      }
      Objects.requireNonNull(value, "refusal");
      if (value.isBlank()) {
        throw new IllegalArgumentException("refusal must not be blank");
      }
      refusal = value;
      refusalSet = true;
      return this;
    }

    /**
     * Sets the listener of the agent's events: each model request, response and failure, each tool
     * call and each guard decision (default: none). Combine several with {@link ChatListener#all}.
     */
    public Builder listener(ChatListener value) {
      if (listener != null) {
        throw new IllegalStateException("listener was already set");
      }
      listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * Names the agent in its spans ({@code invoke_agent {name}}, {@code gen_ai.agent.name})
     * (default: none; the span is then named {@code invoke_agent}).
     */
    public Builder name(String value) {
      if (name != null) {
        throw new IllegalStateException("name was already set to " + name);
      }
      Objects.requireNonNull(value, "name");
      if (value.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      name = value;
      return this;
    }

    /**
     * Traces the agent's turns (default: none): a span per turn, with a span per model call and per
     * tool call inside it; see {@link Tracing}.
     */
    public Builder tracing(Tracing value) {
      if (tracing != null) {
        throw new IllegalStateException("tracing was already set to " + tracing);
      }
      tracing = Objects.requireNonNull(value, "tracing");
      return this;
    }

    /**
     * Records the cost of every model call in a ledger and checks the budgets before each turn
     * (default: no accounting). Over budget, the policy's action applies: stop ({@link
     * BudgetExceededException}), trim memory, or switch to an {@link #alternativeModel}.
     */
    public Builder costs(CostLedger ledger, BudgetPolicy budgets) {
      if (this.ledger != null) {
        throw new IllegalStateException("costs were already set");
      }
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      this.budgets = Objects.requireNonNull(budgets, "budgets");
      return this;
    }

    /** Names a model a budget may switch to (default: none). */
    public Builder alternativeModel(String name, ChatModel model) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(model, "model");
      if (alternatives.putIfAbsent(name, model) != null) {
        throw new IllegalStateException("alternative model '" + name + "' was already set");
      }
      return this;
    }

    /**
     * Returns the agent; the builder is unchanged.
     *
     * @throws IllegalStateException when the model is missing
     * @throws dev.colloquy.core.prompt.TemplateException when a prompt variable has neither a
     *     default nor an {@link #expectVariables} declaration
     */
    public Agent build() {
      if (model == null) {
        throw new IllegalStateException("model is required: call model(...) before build()");
      }
      if (system != null) {
        Set<String> known = new LinkedHashSet<>(variables.keySet());
        known.addAll(expectedVariables);
        system.validate(known);
      }
      return new Agent(this);
    }
  }
}
