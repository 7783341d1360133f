package dev.colloquy.core.internal.trace;

import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.guard.SecretRedactor;
import java.util.Map;

/**
 * One started span of Colloquy's: a turn, a model call, an attempt, a tool call, a chain step.
 *
 * <p>Invariants: a span is ended exactly once ({@link #end()} is idempotent), by whoever started
 * it, in a {@code finally}; a span is current on a thread only between {@link #makeCurrent()} and
 * the close of the scope it returned, and scopes close in the reverse order they opened. The span
 * current on a thread is kept here too (besides the tracing system's own context), so that
 * decorators holding no tracing settings (retry, fallback, the tool session, parallel chain steps)
 * can nest their spans under the caller's.
 */
public abstract class TraceSpan {

  private static final ThreadLocal<TraceSpan> CURRENT = new ThreadLocal<>();

  private final SpanKind kind;
  private final TraceSpan parent;
  private final SpanFactory factory;
  private String model;
  // Inherited from the parent when the span starts; set on a turn.
  private String conversationId;
  private SecretRedactor secrets = SecretRedactor.none();
  private PiiRedactor agentRedactor;

  protected TraceSpan(SpanKind kind, TraceSpan parent, SpanFactory factory) {
    this.kind = kind;
    this.parent = parent;
    this.factory = factory;
  }

  /** Copies the conversation and the redactors from the parent, tagging the conversation id. */
  protected final void inherit() {
    if (parent != null) {
      secrets = parent.secrets;
      agentRedactor = parent.agentRedactor;
      if (parent.conversationId != null) {
        conversation(parent.conversationId);
      }
    }
  }

  /** Sets the conversation of this span and its children ({@code gen_ai.conversation.id}). */
  public void conversation(String id) {
    conversationId = id;
    tag(GenAi.CONVERSATION_ID, id);
  }

  /** Adds secrets that content here and below is cleared of, by value. */
  public void addSecrets(SecretRedactor more) {
    secrets = secrets.and(more);
  }

  /** Sets the agent's redactor, applied to content here and below besides this tracing's. */
  public void agentRedactor(PiiRedactor redactor) {
    agentRedactor = redactor;
  }

  /** Returns content as this span may record it: redacted and capped. */
  public String content(String text) {
    return settings().content(text, secrets, agentRedactor);
  }

  /** Returns whether spans record content. */
  public boolean capturesContent() {
    return settings().captureContent();
  }

  /** Returns the Colloquy span current on this thread, or {@code null}. */
  public static TraceSpan current() {
    return CURRENT.get();
  }

  /** Returns the current span when it is inside a model call, or {@code null}. */
  public static TraceSpan currentModelCall() {
    TraceSpan span = CURRENT.get();
    return span != null && span.kind.isModelCall() ? span : null;
  }

  /** Returns what this span stands for. */
  public SpanKind kind() {
    return kind;
  }

  /** Returns the factory that started this span. */
  public SpanFactory factory() {
    return factory;
  }

  /** Returns what this span's tracing may record. */
  public TraceSettings settings() {
    return factory.settings();
  }

  /** Starts a child of this span (which need not be current on this thread). */
  public TraceSpan child(
      SpanKind childKind,
      String observationName,
      String spanName,
      Map<String, String> lowCardinality) {
    return factory.start(childKind, observationName, spanName, lowCardinality, this);
  }

  /**
   * Names the model this span and its unnamed model-call ancestors ask for ({@code
   * gen_ai.request.model} and the span name), once: the first name given wins.
   */
  public void requestModel(String provider, String modelName) {
    for (TraceSpan span = this; span != null && span.kind.isModelCall(); span = span.parent) {
      if (span.model != null) {
        return;
      }
      span.model = modelName;
      span.tag(GenAi.REQUEST_MODEL, modelName);
      if (provider != null) {
        span.tag(GenAi.PROVIDER_NAME, provider);
      }
      span.rename(GenAi.spanName(span.kind, modelName));
    }
  }

  /** Sets a high-cardinality attribute (on the span only, never a meter tag). */
  public abstract void tag(String key, String value);

  /** Renames the span. */
  public abstract void rename(String spanName);

  /** Records a failure: error status, the exception, and {@code error.type}. */
  public abstract void fail(Throwable error);

  /** Ends the span; later calls do nothing. */
  public abstract void end();

  /** Opens the tracing system's scope of this span on the calling thread. */
  protected abstract AutoCloseable openScope();

  /**
   * Makes this span current on the calling thread (any thread) until the returned scope is closed
   * on that same thread; closing it again does nothing.
   */
  public final Scope makeCurrent() {
    AutoCloseable scope = openScope();
    TraceSpan previous = CURRENT.get();
    CURRENT.set(this);
    boolean[] closed = {false};
    return () -> {
      if (closed[0]) {
        return;
      }
      closed[0] = true;
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
      try {
        scope.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** A span's scope on one thread. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
