package dev.colloquy.core.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The code behind a programmatically defined tool. */
@FunctionalInterface
public interface ToolHandler {

  /**
   * Runs the tool. Arguments have already been validated against the tool's schema.
   *
   * @param arguments the arguments object
   * @param context the call's context
   * @return the result: a {@code String} is sent as is, anything else as JSON; {@code null} sends
   *     {@code "done"}
   */
  Object call(ObjectNode arguments, ToolContext context);
}
