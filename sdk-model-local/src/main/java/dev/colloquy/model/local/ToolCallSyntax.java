package dev.colloquy.model.local;

/**
 * How a model writes tool calls in its reply, so that they are parsed into tool calls (also while
 * streaming) and never shown as text. {@link TemplateChatFormat} picks one from the markers its
 * template mentions; {@link TemplateChatFormat.Builder#toolCallSyntax} sets it explicitly.
 */
public enum ToolCallSyntax {
  /** The model is not offered tools. */
  NONE,
  /**
   * Qwen 2.5/3, Hermes, SmolLM3: {@code <tool_call>{"name": …, "arguments": {…}}</tool_call>}, one
   * block per call, text around them allowed.
   */
  HERMES,
  /**
   * Llama 3.1+: the reply is a JSON object {@code {"name": …, "parameters": {…}}}, optionally after
   * {@code <|python_tag|>}; several calls may follow one another, separated by {@code ;}.
   */
  LLAMA_JSON,
  /**
   * Mistral: {@code [TOOL_CALLS] [{"name": …, "arguments": {…}}, …]}, or from tokenizer v11 on
   * {@code [TOOL_CALLS]name[ARGS]{…}}. Call ids are nine letters and digits, as Mistral's templates
   * require.
   */
  MISTRAL
}
