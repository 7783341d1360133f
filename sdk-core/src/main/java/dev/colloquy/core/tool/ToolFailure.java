package dev.colloquy.core.tool;

/**
 * Ways a tool call can fail; each goes back to the model as an error result unless a policy says
 * otherwise.
 */
public enum ToolFailure {
  /** The model named a tool the agent does not have. */
  UNKNOWN_TOOL,
  /** The tool exists but is not on the agent's allow-list. */
  NOT_ALLOWED,
  /** The arguments are not valid JSON or do not fit the schema. */
  INVALID_ARGUMENTS,
  /** The approval callback denied the call. */
  DENIED,
  /** The tool threw. */
  FAILED,
  /** The tool ran past its timeout and was interrupted. */
  TIMED_OUT,
  /** The turn had already made its allowed number of tool calls. */
  BUDGET_EXHAUSTED
}
