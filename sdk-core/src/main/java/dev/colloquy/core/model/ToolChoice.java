package dev.colloquy.core.model;

import java.util.Objects;

/** Whether and which tools the model may call. */
public sealed interface ToolChoice {

  /** The model decides (the default). */
  static ToolChoice auto() {
    return Mode.AUTO;
  }

  /** The model must not call tools. */
  static ToolChoice none() {
    return Mode.NONE;
  }

  /** The model must call at least one tool. */
  static ToolChoice required() {
    return Mode.REQUIRED;
  }

  /** The model must call the named tool. */
  static ToolChoice tool(String name) {
    return new Named(name);
  }

  /** The choices that name no tool. */
  enum Mode implements ToolChoice {
    /** The model decides. */
    AUTO,
    /** No tool calls. */
    NONE,
    /** At least one tool call. */
    REQUIRED
  }

  /**
   * One tool, by name.
   *
   * @param name the tool's name
   */
  record Named(String name) implements ToolChoice {
    /** Validates the name. */
    public Named {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a tool choice must name a tool");
      }
    }
  }
}
