package dev.colloquy.core.internal.trace;

/** What a Colloquy span stands for; decides which spans a decorator may nest under. */
public enum SpanKind {
  /** An agent turn: {@code invoke_agent}. */
  TURN,
  /** One model call as its caller sees it, retries and fallbacks included: {@code chat}. */
  CHAT,
  /** One model of a fallback chain, tried. */
  FALLBACK,
  /** One attempt of a retried call. */
  ATTEMPT,
  /** One tool call: {@code execute_tool}. */
  TOOL,
  /** A whole chain: {@code invoke_workflow}. */
  WORKFLOW,
  /** One named step of a chain. */
  STEP;

  /** Whether a span of this kind is inside a model call, where retries and fallbacks nest. */
  public boolean isModelCall() {
    return this == CHAT || this == FALLBACK || this == ATTEMPT;
  }
}
