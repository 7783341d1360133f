package dev.colloquy.core.model;

/**
 * What a backend can do, stated as data so callers can adapt instead of catching failures.
 *
 * @param contextWindow the most tokens (prompt plus reply) the model accepts; at least 1
 * @param toolCalling whether the backend understands tool specifications and returns tool calls
 * @param jsonOutput whether it honours {@link ResponseFormat#json()}
 * @param jsonSchemaOutput whether it honours {@link ResponseFormat#jsonSchema}
 * @param streaming whether text deltas arrive while the reply is generated (otherwise the whole
 *     text comes as one delta at the end)
 * @param logprobs whether it reports the log-probabilities of the generated tokens ({@link
 *     ChatOptions#logprobs()}); a backend without them answers such a request with an empty {@link
 *     ChatResponse#logprobs()}
 */
public record ModelCapabilities(
    int contextWindow,
    boolean toolCalling,
    boolean jsonOutput,
    boolean jsonSchemaOutput,
    boolean streaming,
    boolean logprobs) {

  /** Validates the context window. */
  public ModelCapabilities {
    if (contextWindow < 1) {
      throw new IllegalArgumentException("contextWindow must be at least 1, was " + contextWindow);
    }
  }

  /** Creates capabilities without logprobs. */
  public ModelCapabilities(
      int contextWindow,
      boolean toolCalling,
      boolean jsonOutput,
      boolean jsonSchemaOutput,
      boolean streaming) {
    this(contextWindow, toolCalling, jsonOutput, jsonSchemaOutput, streaming, false);
  }
}
