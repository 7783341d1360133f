package dev.colloquy.core.observe;

import dev.colloquy.core.chain.Chain;
import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.internal.trace.GenAi;
import dev.colloquy.core.internal.trace.ObservationSpans;
import dev.colloquy.core.internal.trace.SpanFactory;
import dev.colloquy.core.internal.trace.SpanKind;
import dev.colloquy.core.internal.trace.TraceSettings;
import dev.colloquy.core.internal.trace.TraceSpan;
import dev.colloquy.core.internal.trace.TracedChatModel;
import dev.colloquy.core.internal.trace.TracingAccess;
import dev.colloquy.core.model.ChatModel;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.Objects;

/**
 * Spans of agent turns, model calls, tool calls and chain steps, with the attributes of the
 * OpenTelemetry GenAI semantic conventions (v1.41.0), as Micrometer observations: Spring Boot's
 * tracing (OpenTelemetry or Brave bridge) exports them with no more setup, and plain Java reaches
 * OpenTelemetry through {@code micrometer-tracing-bridge-otel} (docs/production.md).
 *
 * <p>Micrometer's Observation API is an optional dependency of Colloquy: {@link #of} and {@link
 * #builder} need {@code io.micrometer:micrometer-observation} on the class path, nothing else does.
 *
 * <p>Give a tracing to an agent ({@code Agent.Builder.tracing}) for this tree per turn:
 *
 * <pre>
 * invoke_agent {agent}            the turn
 * ├── chat {model}                each model call (a span per call, retries and fallbacks inside)
 * │   ├── fallback {model}        each model of a FallbackChatModel tried
 * │   │   └── attempt {model}     each attempt of a ResiliencePolicy's retry
 * ├── execute_tool {tool}         each tool call (also when it was refused or failed)
 * └── chat {model}
 * </pre>
 *
 * Retry and fallback decorators need no tracing of their own: they add their spans under the model
 * call open on the calling thread. A {@code chat} span is named after the model when a layer inside
 * it knows the name: {@link #decorate}, or a {@code ResiliencePolicy.decorate(name, ...)}.
 *
 * <p>Content (prompts, replies, tool arguments and results) is not recorded unless {@link
 * Builder#captureContent} is set; then it is redacted first (see that method). Immutable and
 * thread-safe.
 */
public final class Tracing {

  static {
    TracingAccess.accessor(tracing -> tracing.spans);
  }

  private final SpanFactory spans;

  private Tracing(SpanFactory spans) {
    this.spans = spans;
  }

  /**
   * Returns a tracing into a registry, recording no content.
   *
   * @param registry the observation registry (Spring Boot's bean, or one with a tracing handler)
   */
  @SuppressWarnings("exports") // Micrometer is optional (requires static): who calls this has it.
  public static Tracing of(ObservationRegistry registry) {
    return builder(registry).build();
  }

  /**
   * Returns a builder of a tracing into a registry.
   *
   * @param registry the observation registry (Spring Boot's bean, or one with a tracing handler)
   */
  @SuppressWarnings("exports") // Micrometer is optional (requires static): who calls this has it.
  public static Builder builder(ObservationRegistry registry) {
    return new Builder(Objects.requireNonNull(registry, "registry"));
  }

  /**
   * Returns a model whose calls make {@code chat} spans named after the given model. Inside a model
   * call that already has its span (an agent's), it names that span instead of opening another.
   *
   * @param model the model's name ({@code gen_ai.request.model}); not blank
   * @param delegate the model
   */
  public ChatModel decorate(String model, ChatModel delegate) {
    return new TracedChatModel(spans, null, requireName(model, "model"), requireModel(delegate));
  }

  /**
   * Like {@link #decorate(String, ChatModel)}, naming the provider too.
   *
   * @param provider {@code gen_ai.provider.name}: {@code openai} for the OpenAI protocol, say; not
   *     blank
   * @param model the model's name ({@code gen_ai.request.model}); not blank
   * @param delegate the model
   */
  public ChatModel decorate(String provider, String model, ChatModel delegate) {
    return new TracedChatModel(
        spans,
        requireName(provider, "provider"),
        requireName(model, "model"),
        requireModel(delegate));
  }

  /**
   * Returns a chain that runs in an {@code invoke_workflow {name}} span; steps, agents, tools and
   * models inside it make their spans below it.
   *
   * @param name the workflow's name ({@code gen_ai.workflow.name}); not blank
   * @param chain the chain
   */
  public <I, O> Chain<I, O> workflow(String name, Chain<I, O> chain) {
    return traced(
        SpanKind.WORKFLOW,
        GenAi.OBSERVE_WORKFLOW,
        "invoke_workflow " + requireName(name, "name"),
        Map.of(GenAi.OPERATION_NAME, "invoke_workflow", GenAi.WORKFLOW_NAME, name),
        chain);
  }

  /**
   * Returns a chain step that runs in a {@code step {name}} span (attribute {@code
   * colloquy.chain.step}).
   *
   * @param name the step's name; not blank
   * @param step the step
   */
  public <I, O> Chain<I, O> step(String name, Chain<I, O> step) {
    return traced(
        SpanKind.STEP,
        GenAi.OBSERVE_STEP,
        "step " + requireName(name, "name"),
        Map.of(GenAi.CHAIN_STEP, name),
        step);
  }

  /** Returns whether spans record prompts, replies, tool arguments and results. */
  public boolean capturesContent() {
    return spans.settings().captureContent();
  }

  private <I, O> Chain<I, O> traced(
      SpanKind kind,
      String observation,
      String spanName,
      Map<String, String> low,
      Chain<I, O> chain) {
    Objects.requireNonNull(chain, "chain");
    return (input, context) -> {
      TraceSpan span = spans.start(kind, observation, spanName, low, null);
      try {
        span.conversation(context.conversationId());
        TraceSpan.Scope scope = span.makeCurrent();
        try {
          return chain.run(input, context);
        } finally {
          scope.close();
        }
      } catch (RuntimeException | Error e) {
        span.fail(e);
        throw e;
      } finally {
        span.end();
      }
    };
  }

  private static String requireName(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }

  private static ChatModel requireModel(ChatModel delegate) {
    return Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public String toString() {
    return "Tracing[" + spans + "]";
  }

  /** Builds a {@link Tracing}. Each setting may be set once; the builder is unchanged by build. */
  public static final class Builder {
    private final ObservationRegistry registry;
    private Boolean captureContent;
    private PiiRedactor redactor;
    private Integer maxContentChars;

    private Builder(ObservationRegistry registry) {
      this.registry = registry;
    }

    /**
     * Records prompts ({@code gen_ai.input.messages}, {@code gen_ai.system_instructions}), replies
     * ({@code gen_ai.output.messages}) and tool arguments and results ({@code
     * gen_ai.tool.call.arguments}, {@code gen_ai.tool.call.result}) on the spans (default: false).
     * Recorded text is redacted first, always: the model's configured secrets by value, then the
     * agent's redactor when it has one, then {@link #contentRedactor}.
     */
    public Builder captureContent(boolean value) {
      if (captureContent != null) {
        throw new IllegalStateException("captureContent was already set to " + captureContent);
      }
      captureContent = value;
      return this;
    }

    /**
     * Sets what removes personal data and token-shaped secrets from recorded content (default:
     * {@link PiiRedactor#all()}).
     */
    public Builder contentRedactor(PiiRedactor value) {
      if (redactor != null) {
        throw new IllegalStateException("contentRedactor was already set to " + redactor);
      }
      redactor = Objects.requireNonNull(value, "contentRedactor");
      return this;
    }

    /**
     * Sets the longest content attribute, 100 to 1,000,000 characters (default 16,000); longer
     * content is cut with a marker (its JSON then no longer parses).
     */
    public Builder maxContentChars(int value) {
      if (maxContentChars != null) {
        throw new IllegalStateException("maxContentChars was already set to " + maxContentChars);
      }
      if (value < 100 || value > 1_000_000) {
        throw new IllegalArgumentException(
            "maxContentChars must be from 100 to 1,000,000, was " + value);
      }
      maxContentChars = value;
      return this;
    }

    /** Returns the tracing. */
    public Tracing build() {
      return new Tracing(
          new ObservationSpans(
              registry,
              new TraceSettings(
                  captureContent != null && captureContent,
                  redactor != null ? redactor : PiiRedactor.all(),
                  maxContentChars != null ? maxContentChars : 16_000)));
    }
  }
}
