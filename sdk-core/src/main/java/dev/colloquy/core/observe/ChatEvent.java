package dev.colloquy.core.observe;

import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.TokenUsage;
import java.time.Duration;
import java.util.Objects;

/**
 * Something that happened while a conversation ran, as a value for a {@link ChatListener}.
 *
 * <p>Model-level events ({@link RequestSent}, {@link ResponseReceived}, {@link CallFailed}) come
 * from {@link ListeningChatModel}; {@link RetryScheduled} from the retry decorator of {@code
 * core.resilience}; {@link CacheLookup} from {@code core.cache}; {@link ToolCalled} and {@link
 * GuardDecided} from the agent that runs tools and guards.
 *
 * <p>Events carry the request and response objects, which may hold personal data: a listener that
 * writes them anywhere redacts them first (as {@link LoggingChatListener} does).
 */
public sealed interface ChatEvent {

  /**
   * A request is about to go to a model.
   *
   * @param callId identifies this call across its events
   * @param model the model's name as given to the decorator
   * @param request the request
   */
  record RequestSent(String callId, String model, ChatRequest request) implements ChatEvent {
    /** Validates the fields. */
    public RequestSent {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * A model call completed.
   *
   * @param callId identifies this call across its events
   * @param model the model's name as given to the decorator
   * @param response the complete response; {@code response.modelId()} names the model that
   *     answered, which after a fallback may differ from {@code model}
   * @param latency from the request to the complete response
   */
  record ResponseReceived(String callId, String model, ChatResponse response, Duration latency)
      implements ChatEvent {
    /** Validates the fields. */
    public ResponseReceived {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(response, "response");
      Objects.requireNonNull(latency, "latency");
    }

    /** Returns the tokens the call consumed. */
    public TokenUsage usage() {
      return response.usage();
    }
  }

  /**
   * A model call failed or was cancelled.
   *
   * @param callId identifies this call across its events
   * @param model the model's name as given to the decorator
   * @param error the failure
   * @param latency from the request to the failure
   */
  record CallFailed(String callId, String model, Throwable error, Duration latency)
      implements ChatEvent {
    /** Validates the fields. */
    public CallFailed {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(latency, "latency");
    }

    /** Returns the failure's kind for grouping: the simple name of its class. */
    public String errorKind() {
      return error.getClass().getSimpleName();
    }
  }

  /**
   * A failed attempt will be tried again after a wait.
   *
   * @param model the model's name as given to the decorator
   * @param attempt the number of the attempt that failed, from 1
   * @param delay how long the retry waits before the next attempt
   * @param error why the attempt failed
   */
  record RetryScheduled(String model, int attempt, Duration delay, Throwable error)
      implements ChatEvent {
    /** Validates the fields. */
    public RetryScheduled {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(error, "error");
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
      }
    }
  }

  /**
   * A response cache was consulted.
   *
   * @param model the model's name as given to the cache decorator
   * @param scope the cache scope (tenant or conversation) of the lookup
   * @param hit whether a stored response answered the request
   */
  record CacheLookup(String model, String scope, boolean hit) implements ChatEvent {
    /** Validates the fields. */
    public CacheLookup {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(scope, "scope");
    }
  }

  /**
   * A tool ran for the model.
   *
   * @param tool the tool's name
   * @param duration how long it ran
   * @param failed whether it failed (its error went back to the model as a tool result)
   */
  record ToolCalled(String tool, Duration duration, boolean failed) implements ChatEvent {
    /** Validates the fields. */
    public ToolCalled {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(duration, "duration");
    }
  }

  /**
   * A guard checked a text.
   *
   * @param guard the guard's name
   * @param stage whether it checked the user's input, the model's output or its tool calls
   * @param outcome what the guard decided
   * @param reason the guard's reason; empty when it passed the text
   */
  record GuardDecided(String guard, Stage stage, Outcome outcome, String reason)
      implements ChatEvent {
    /** Validates the fields. */
    public GuardDecided {
      Objects.requireNonNull(guard, "guard");
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(reason, "reason");
    }

    /** Which text a guard checked. */
    public enum Stage {
      /** The user's text, before the model sees it. */
      INPUT,
      /** The model's reply, before the user sees it. */
      OUTPUT,
      /** The tool calls the model asked for, before any runs ({@code ToolCallCheck}). */
      TOOL_CALLS
    }

    /** What a guard decided. */
    public enum Outcome {
      /** The text went on unchanged. */
      PASS,
      /** The text went on changed (redacted, for one). */
      REWRITE,
      /** The text was stopped. */
      BLOCK
    }
  }
}
