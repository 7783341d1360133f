package dev.colloquy.core.tool;

/** The code behind a programmatically defined tool. */
@FunctionalInterface
public interface ToolHandler {

  /**
   * Runs the tool. Arguments have already been validated against the tool's schema.
   *
   * @param arguments the arguments object: read one with {@link ToolArguments#text}, or all of them
   *     as a record with {@link ToolArguments#as}
   * @param context the call's context
   * @return the result: a {@code String} is sent as is, anything else as JSON; {@code null} sends
   *     {@code "done"}
   */
  Object call(ToolArguments arguments, ToolContext context);
}
