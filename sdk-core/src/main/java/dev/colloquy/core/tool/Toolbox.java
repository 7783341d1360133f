package dev.colloquy.core.tool;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.model.ToolSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The tools of an agent and the rules for running them: an allow-list, budgets, a per-tool timeout,
 * an approval callback, an output size limit, which failures become exceptions, and the executor
 * that runs several calls of one reply in parallel.
 *
 * <p>Defaults: every tool allowed; 10 model round trips and 25 tool calls per turn; 30 s per tool
 * call; 20,000 characters of output per call; every failure reported to the model (none thrown);
 * approval denied unless a callback is set; a cached pool of daemon threads named {@code
 * colloquy-tool-N}, shared by every toolbox that sets no executor.
 *
 * <p>Immutable and thread-safe.
 */
public final class Toolbox {

  /** The default number of model calls per turn. */
  public static final int DEFAULT_MAX_ROUND_TRIPS = 10;

  /** The default number of tool calls per turn. */
  public static final int DEFAULT_MAX_TOOL_CALLS = 25;

  /** The default time a tool call may take. */
  public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(30);

  /** The default number of characters of a result kept. */
  public static final int DEFAULT_MAX_RESULT_CHARS = 20_000;

  // One pool for every toolbox that brings no executor: a dropped toolbox leaves no threads, and
  // idle threads end after 60 s. Daemon threads, so it never keeps the JVM alive.
  private static final ExecutorService SHARED_EXECUTOR =
      Executors.newCachedThreadPool(new DaemonThreads());

  private static final Toolbox EMPTY = new Builder().build();

  private final Map<String, ToolDefinition> tools;
  private final Set<String> allowed;
  private final int maxRoundTrips;
  private final int maxToolCalls;
  private final Duration toolTimeout;
  private final int maxResultChars;
  private final ToolApproval approval;
  private final Set<ToolFailure> throwOn;
  private final ExecutorService executor;
  private final List<ToolSpecification> specifications;

  private Toolbox(Builder b) {
    this.tools = Map.copyOf(b.tools);
    this.allowed = b.allowed == null ? Set.copyOf(b.tools.keySet()) : Set.copyOf(b.allowed);
    this.maxRoundTrips = b.maxRoundTrips;
    this.maxToolCalls = b.maxToolCalls;
    this.toolTimeout = b.toolTimeout;
    this.maxResultChars = b.maxResultChars;
    this.approval = b.approval;
    this.throwOn = Set.copyOf(b.throwOn);
    this.executor = b.executor != null ? b.executor : SHARED_EXECUTOR;
    // Computed once: every model call of every turn offers these.
    this.specifications =
        tools.values().stream()
            .filter(tool -> allowed.contains(tool.name()))
            .map(ToolDefinition::specification)
            .sorted(java.util.Comparator.comparing(ToolSpecification::name))
            .toList();
  }

  /** Returns a toolbox without tools. */
  public static Toolbox empty() {
    return EMPTY;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns whether the toolbox has no tools. */
  public boolean isEmpty() {
    return tools.isEmpty();
  }

  /** Returns the specifications of the allowed tools, sorted by name: what the model is offered. */
  public List<ToolSpecification> specifications() {
    return specifications;
  }

  /** Returns the tool with this name, allowed or not. */
  public Optional<ToolDefinition> tool(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** Returns the most model calls a turn may make. */
  public int maxRoundTrips() {
    return maxRoundTrips;
  }

  /**
   * Starts the tool state of one turn: the calls made so far and the denials, which last for the
   * turn.
   *
   * @param conversationId the turn's conversation
   * @param cancellation the turn's cancellation signal
   * @param deadlineNanos the turn's deadline on {@code nanoTime}'s scale; {@code Long.MAX_VALUE}
   *     for none
   * @param nanoTime the time source
   */
  public ToolSession session(
      String conversationId, Cancellation cancellation, long deadlineNanos, LongSupplier nanoTime) {
    return new ToolSession(this, conversationId, cancellation, deadlineNanos, nanoTime);
  }

  boolean isAllowed(String name) {
    return allowed.contains(name);
  }

  Set<String> allowedNames() {
    return allowed;
  }

  int maxToolCalls() {
    return maxToolCalls;
  }

  Duration toolTimeout() {
    return toolTimeout;
  }

  int maxResultChars() {
    return maxResultChars;
  }

  ToolApproval approval() {
    return approval;
  }

  boolean throwsOn(ToolFailure failure) {
    return throwOn.contains(failure);
  }

  ExecutorService executor() {
    return executor;
  }

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "colloquy-tool-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }

  /** Builds a {@link Toolbox}; each setting is validated when set and may be set once. */
  public static final class Builder {
    private final Map<String, ToolDefinition> tools = new LinkedHashMap<>();
    private Set<String> allowed;
    private int maxRoundTrips = DEFAULT_MAX_ROUND_TRIPS;
    private int maxToolCalls = DEFAULT_MAX_TOOL_CALLS;
    private Duration toolTimeout = DEFAULT_TOOL_TIMEOUT;
    private int maxResultChars = DEFAULT_MAX_RESULT_CHARS;
    private ToolApproval approval = ToolApproval.DENY_ALL;
    private final Set<ToolFailure> throwOn = EnumSet.noneOf(ToolFailure.class);
    private ExecutorService executor;
    private final Set<String> set = new LinkedHashSet<>();

    private Builder() {}

    /** Adds the {@link Tool}-annotated methods of an object. */
    public Builder add(Object annotated) {
      for (ToolDefinition tool : ToolDefinition.fromAnnotated(annotated)) {
        add(tool);
      }
      return this;
    }

    /** Adds a tool; names must be unique. */
    public Builder add(ToolDefinition tool) {
      Objects.requireNonNull(tool, "tool");
      if (tools.putIfAbsent(tool.name(), tool) != null) {
        throw new IllegalStateException("a tool named '" + tool.name() + "' was already added");
      }
      return this;
    }

    /** Limits which tools the model is offered and may run (default: all added tools). */
    public Builder allow(String... names) {
      once("allow");
      allowed = new LinkedHashSet<>(List.of(names));
      return this;
    }

    /** Sets the most model calls per turn, at least 1 (default 10). */
    public Builder maxRoundTrips(int value) {
      once("maxRoundTrips");
      maxRoundTrips = atLeastOne("maxRoundTrips", value);
      return this;
    }

    /** Sets the most tool calls per turn, at least 1 (default 25). */
    public Builder maxToolCalls(int value) {
      once("maxToolCalls");
      maxToolCalls = atLeastOne("maxToolCalls", value);
      return this;
    }

    /**
     * Sets how long one tool call may run before it is interrupted, from 1 ms to 24 h (default 30
     * s; the same range as the DSL's {@code tool_timeout}, and longer would overflow). Each call's
     * time counts from when it is handed to the executor, so parallel calls of one reply all end
     * within one timeout; a call that returns later than this is a {@code TIMED_OUT} failure, never
     * a success.
     */
    public Builder toolTimeout(Duration value) {
      once("toolTimeout");
      Objects.requireNonNull(value, "toolTimeout");
      if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("toolTimeout must be from 1 ms to 24 h, was " + value);
      }
      toolTimeout = value;
      return this;
    }

    /** Sets how many characters of a tool's result are kept, at least 100 (default 20,000). */
    public Builder maxResultChars(int value) {
      once("maxResultChars");
      if (value < 100) {
        throw new IllegalArgumentException("maxResultChars must be at least 100, was " + value);
      }
      maxResultChars = value;
      return this;
    }

    /** Sets the callback asked before a tool marked as needing approval runs (default: deny). */
    public Builder approval(ToolApproval value) {
      once("approval");
      approval = Objects.requireNonNull(value, "approval");
      return this;
    }

    /**
     * Makes these failures throw a {@link ToolException} instead of informing the model (default:
     * none).
     */
    public Builder throwOn(ToolFailure... failures) {
      once("throwOn");
      throwOn.addAll(List.of(failures));
      return this;
    }

    /**
     * Sets the executor that runs tool calls (default: a cached pool of daemon threads shared by
     * all toolboxes). The toolbox never shuts it down: whoever made it does.
     */
    public Builder executor(ExecutorService value) {
      once("executor");
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /**
     * Returns the toolbox; the builder is unchanged.
     *
     * @throws IllegalStateException when the allow-list names a tool that was not added
     */
    public Toolbox build() {
      if (allowed != null) {
        List<String> unknown = new ArrayList<>();
        for (String name : allowed) {
          if (!tools.containsKey(name)) {
            unknown.add(name);
          }
        }
        if (!unknown.isEmpty()) {
          throw new IllegalStateException(
              "the allow-list names tools that were not added: "
                  + unknown
                  + "; tools: "
                  + tools.keySet());
        }
      }
      return new Toolbox(this);
    }

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static int atLeastOne(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + value);
      }
      return value;
    }
  }
}
